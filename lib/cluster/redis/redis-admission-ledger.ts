import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { AdmissionLedger, SharedCreation } from "@/lib/documents/admission-ledger";
import { isRunningStatus, type DesignDocument } from "@/lib/documents/types";

/** A creation holds its key this long at most (a crashed creator releases it by expiry). */
const CREATING_MS = 30_000;
/** Requests that joined a creation find its document under the key this long after it is made. */
const CREATED_MS = 10_000;
const POLL_MS = 15;
/** A running generation's key outlives any generation; it is checked against the live log anyway. */
const RUNNING_SECONDS = 24 * 3600;

const DELETE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The admission ledger shared by every instance: `<prefix>:admission:running:<hash>` names the
 * document generating for a generation key, `<prefix>:admission:creating:<hash>` is taken (SET NX)
 * by the one request that creates it while identical requests on any instance wait for its
 * result. Keys are hashes of the generation key (topic text stays out of Redis key names).
 */
export class RedisAdmissionLedger implements AdmissionLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly deps: {
      /** Whether the document's generation is still running (its shared log has not ended). */
      isRunning(id: string): Promise<boolean>;
      load(id: string): Promise<DesignDocument>;
    },
  ) {}

  private key(kind: "running" | "creating", generationKey: string): string {
    return `${this.prefix}:admission:${kind}:${createHash("sha256").update(generationKey).digest("hex")}`;
  }

  async runningDocumentId(key: string): Promise<string | undefined> {
    const runningKey = this.key("running", key);
    const id = await this.redis.get(runningKey);
    if (!id) return undefined;
    if (await this.deps.isRunning(id)) return id;
    await this.redis.eval(DELETE_IF, 1, runningKey, id);
    return undefined;
  }

  async trackRunning(key: string, id: string): Promise<void> {
    await this.redis.set(this.key("running", key), id, "EX", RUNNING_SECONDS);
  }

  async shareCreation<T extends { document: DesignDocument }>(key: string, create: () => Promise<T>): Promise<SharedCreation<T>> {
    const creatingKey = this.key("creating", key);
    const claim = `creating:${randomUUID()}`;
    const deadline = Date.now() + CREATING_MS;
    /** Whether this request saw the creation under way: only then did it arrive together with it. */
    let waited = false;
    for (;;) {
      if ((await this.redis.set(creatingKey, claim, "PX", CREATING_MS, "NX")) === "OK") {
        const result = create();
        result.then(
          (value) => this.redis.set(creatingKey, `created:${value.document.id}`, "PX", CREATED_MS).catch(() => {}),
          () => this.redis.eval(DELETE_IF, 1, creatingKey, claim).catch(() => {}),
        );
        return { shared: false, result };
      }
      const value = await this.redis.get(creatingKey);
      if (value?.startsWith("created:")) {
        const document = this.deps.load(value.slice("created:".length));
        if (waited) return { shared: true, document };
        // A creation made before this request came is not one it arrived with: join it only while
        // its document still runs (within CREATED_MS a later identical request got a finished one).
        const finished = await document.then((created) => !isRunningStatus(created.status), () => true);
        if (!finished) return { shared: true, document };
        await this.redis.eval(DELETE_IF, 1, creatingKey, value);
        continue;
      }
      if (value !== null) waited = true;
      // Still being created elsewhere; if its creator failed, the key is gone and the next round claims it.
      if (Date.now() > deadline) throw new Error("an identical creation on another instance did not finish in time");
      await sleep(POLL_MS);
    }
  }
}
