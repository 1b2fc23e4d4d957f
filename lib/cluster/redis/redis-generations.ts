import "server-only";
import { type Job, Queue, WaitingError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { StudioConfig } from "@/lib/config/env";
import { documentText } from "@/lib/documents/section-parts";
import { isRunningStatus, type DesignDocument } from "@/lib/documents/types";
import type { VersionEvent } from "@/lib/events/document-events";
import { freshProgress } from "@/lib/generation/parallel/plan";
import type { GenerationRegistry, JobPlan } from "@/lib/generation/registry";
import type { RepairDraft, RepairRecord } from "@/lib/repair/record";
import type { DocumentStore } from "@/lib/store/document-store";
import type { Generations, LiveGeneration, RedisHealth } from "../generations";
import { INTERRUPTED_MESSAGE, LEASE_LOST_MESSAGE } from "../messages";
import { type ReceivedParallel, receivedParallel, resumeParallel } from "../parallel-resume";
import { receivedDrafts, resumeDrafts } from "../repair-resume";
import { storedPlan } from "../stored-plan";
import { connectRedis } from "./connection";
import { EventLog, type LogEntry, type PendingEvent } from "./event-log";
import { JobLogWriter } from "./job-log-writer";
import { RedisAdmissionLedger } from "./redis-admission-ledger";
import { sharedStreamSource } from "./shared-stream-source";
import { StreamFollower } from "./stream-follower";

const QUEUE_NAME = "generations";
const HEALTH_TIMEOUT_MS = 2_000;
/** A job that stalls this often (its instances keep dying on it) is given up: the document becomes `interrupted`. */
const MAX_STALLED = 10;
/** States in which a queued job still belongs to someone: start-up leaves its document alone. */
const OWNED_STATES = new Set(["active", "waiting", "delayed", "prioritized", "paused", "waiting-children"]);
/** States of a queued job that no instance holds yet (not `active`): it can be taken off the queue. */
const UNCLAIMED_STATES = new Set(["waiting", "delayed", "prioritized", "paused"]);

interface GenerationJobData {
  id: string;
  fence: number;
}

export interface RedisGenerationsDependencies {
  registry: GenerationRegistry;
  store: DocumentStore;
  config: Pick<
    StudioConfig,
    "redisUrl" | "redisPrefix" | "autoResume" | "lockDurationMs" | "stalledIntervalMs" | "workerConcurrency" | "maxConcurrentGenerations" | "splitImplementation"
  >;
  instance: string;
  /** Messages readers are shown (a provider's error can quote a key): redacted before they reach Redis. */
  redact(text: string): string;
}

interface ReadLog {
  text: string;
  parallel: ReceivedParallel;
  /** The repair's replacement texts as readers have them. */
  drafts: RepairDraft[];
  /** The latest version and repair state readers were sent, if any. */
  version: VersionEvent | null;
  repair: RepairRecord | null;
}

/** The log's text channel, and what readers received beside it: a parallel generation's parts, the repair's state, drafts and latest version. */
function readLog(entries: readonly LogEntry[]): ReadLog {
  let text = "";
  let version: VersionEvent | null = null;
  let repair: RepairRecord | null = null;
  const side: { type: string; [field: string]: unknown }[] = [];
  for (const entry of entries) {
    if (entry.type === "text") text += JSON.parse(entry.data) as string;
    else if (entry.type !== "end") {
      const event = JSON.parse(entry.data) as { type: string; [field: string]: unknown };
      if (event.type === "version") version = event as unknown as VersionEvent;
      else if (event.type === "repair") repair = (event as unknown as { repair: RepairRecord }).repair;
      side.push(event);
    }
  }
  return { text, parallel: receivedParallel(side), drafts: receivedDrafts(side), version, repair };
}

const logEvent = (event: { type: string; [field: string]: unknown }): PendingEvent => ({ type: event.type, data: JSON.stringify(event), start: 0, end: 0 });

/** What this instance runs now, so a graceful shutdown can hand it over. */
interface Running {
  handOver(): Promise<void>;
}

/** What one turn of a job starts from: the stored document with these fields replaced, and its plan. */
interface Resumed {
  document: Partial<Pick<DesignDocument, "markdown" | "parallel">>;
  plan: JobPlan;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Several instances, one studio. Every start of a generation is a BullMQ job (`<id>.<fence>`) on
 * one queue; whichever instance's worker takes it holds its lock (LOCK_DURATION_MS, renewed at
 * half of it) and runs the whole pipeline through the local GenerationRegistry. Every job event
 * goes into the document's shared log (a Redis stream, ./event-log.ts), which every instance
 * serves to its readers. An instance that dies loses its lock; another instance's stalled-job
 * check (every STALLED_INTERVAL_MS) puts the job back, and the instance that takes it claims the
 * next fence in the database and in the log, then continues from the log's text — exactly what
 * readers have received — through the registry's ordinary continuation.
 */
export class RedisGenerations implements Generations {
  readonly ledger: RedisAdmissionLedger;
  private readonly log: EventLog;
  private readonly follower: StreamFollower;
  private readonly queue: Queue<GenerationJobData>;
  private worker: Worker<GenerationJobData> | null = null;
  private readonly running = new Map<string, Running>();
  private readonly cancelChannel: string;

  private constructor(
    private readonly deps: RedisGenerationsDependencies,
    private readonly command: Redis,
    private readonly blocking: Redis,
    private readonly subscriber: Redis,
    private readonly queueConnection: Redis,
  ) {
    const { redisPrefix } = deps.config;
    this.log = new EventLog(command, redisPrefix);
    this.follower = new StreamFollower(blocking, command);
    this.queue = new Queue<GenerationJobData>(QUEUE_NAME, { connection: queueConnection, prefix: `${redisPrefix}:bull` });
    this.queue.on("error", (error) => console.error("generation queue:", error.message));
    this.cancelChannel = `${redisPrefix}:cancel`;
    this.ledger = new RedisAdmissionLedger(command, redisPrefix, {
      isRunning: async (id) => {
        const meta = await this.log.meta(id);
        if (meta.start === null || meta.ended) return false;
        // The final write precedes the log's `end`: between the two the stored status already says it ended.
        const stored = await deps.store.get(id);
        return stored !== null && isRunningStatus(stored.status);
      },
      load: async (id) => {
        const document = await deps.store.get(id);
        if (!document) throw new Error(`document ${id} is missing from storage`);
        return document;
      },
    });
  }

  static async connect(deps: RedisGenerationsDependencies): Promise<RedisGenerations> {
    const url = deps.config.redisUrl!;
    // Commands issued in the same tick (appends of many jobs, reads of many readers) go out in one write.
    const command = connectRedis(url, "commands", { enableAutoPipelining: true });
    const generations = new RedisGenerations(
      deps,
      command,
      connectRedis(url, "follower"),
      connectRedis(url, "cancel"),
      connectRedis(url, "queue", { maxRetriesPerRequest: null }),
    );
    await command.ping();
    await generations.listen();
    return generations;
  }

  private async listen(): Promise<void> {
    const { config, instance, registry } = this.deps;
    await this.subscriber.subscribe(this.cancelChannel);
    this.subscriber.on("message", (_channel: string, id: string) => registry.get(id)?.cancel());
    // MAX_CONCURRENT_GENERATIONS holds for all instances together: the queue runs no more at once.
    await this.queue.setGlobalConcurrency(config.maxConcurrentGenerations);
    this.worker = new Worker<GenerationJobData>(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: connectRedis(config.redisUrl!, "worker", { maxRetriesPerRequest: null }),
      prefix: `${config.redisPrefix}:bull`,
      name: instance,
      concurrency: config.workerConcurrency,
      lockDuration: config.lockDurationMs,
      stalledInterval: config.stalledIntervalMs,
      maxStalledCount: MAX_STALLED,
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 1_000 },
    });
    this.worker.on("error", (error) => console.error("generation worker:", error.message));
    this.worker.on("lockRenewalFailed", (jobIds: string[]) => console.error(`generation worker: lost the lease of ${jobIds.join(", ")}; another instance takes over`));
    this.worker.on("failed", (job, error) => {
      if (job) void this.giveUp(job.data.id, String(job.id), error.message);
    });
  }

  /** The plan is not queued: whichever instance runs the job reads it from the stored document (storedPlan), as a later owner must. */
  async start(document: DesignDocument): Promise<{ done?: Promise<void> }> {
    const start = `${document.id}.${document.fence}`;
    await this.log.begin(document.id, start, document.fence, document.markdown);
    await this.queue.add("generate", { id: document.id, fence: document.fence }, { jobId: start });
    return {};
  }

  /** One turn of a job on this instance: first start, or a takeover after its owner died. */
  private async process(queued: Job<GenerationJobData>, token: string | undefined): Promise<string> {
    const { store, registry, instance } = this.deps;
    const { id } = queued.data;
    const start = String(queued.id);
    if ((await this.log.meta(id)).start !== start) return "superseded by a later start";
    const stored = await store.get(id);
    if (!stored || !isRunningStatus(stored.status)) return "already ended";
    // Fence the previous owner out — database first, then the log — before reading what it wrote.
    const fence = await store.claim(stored);
    if (fence === null) return "taken over elsewhere";
    if (!(await this.log.takeOver(id, start, fence, instance))) return "superseded";
    const stale = registry.get(id);
    if (stale) {
      // This instance's own earlier copy (its event loop stalled past the lease): it can no longer write.
      stale.interrupt(LEASE_LOST_MESSAGE);
      await stale.done;
    }
    // The first owner of this start finds the log as the start began it; a later owner finds what readers received.
    const firstTurn = stored.fence === queued.data.fence;
    const resumed = stored.status === "repairing" ? await this.resumeRepair(stored, fence, firstTurn) : await this.resumeFrom(stored, fence, firstTurn);
    if (resumed === null) return "interrupted: it could not be resumed consistently";
    const cancelRequested = (await this.command.exists(this.log.cancelKey(id))) === 1;
    const job = registry.start({ ...stored, ...resumed.document, fence, instance }, resumed.plan);
    const writer = new JobLogWriter(this.log, id, fence, job, () => job.interrupt(LEASE_LOST_MESSAGE), {
      replay: firstTurn ? "all" : "states",
      redact: this.deps.redact,
    });
    if (cancelRequested) job.cancel();

    let handingOver = false;
    this.running.set(id, {
      handOver: async () => {
        handingOver = true;
        // Our own fence is retired first, so nothing this copy writes from now on is accepted.
        const retired = await store.claim({ id, fence });
        if (retired !== null) await this.log.takeOver(id, start, retired, "");
        job.interrupt(LEASE_LOST_MESSAGE);
      },
    });
    try {
      await job.done;
      await writer.settled;
    } finally {
      this.running.delete(id);
    }
    if (handingOver && token) {
      await queued.moveToWait(token);
      throw new WaitingError();
    }
    return job.result?.status ?? "ended";
  }

  /**
   * The text (and parts) this turn continues from. A single document: the log's text, exactly what
   * readers have. A parallel document taken over from another owner: each part from the longer
   * of the checkpoint and what readers received, every unfinished part queued again; what readers
   * lack is appended to the log first, so the new owner's events continue every channel exactly.
   * Null when that is impossible (the log's text already holds the unfinished parts, as it does
   * once a generation is ending): the document is stored `interrupted`, for Continue.
   */
  private async resumeFrom(stored: DesignDocument, fence: number, firstTurn: boolean): Promise<Resumed | null> {
    const { id } = stored;
    const pass = { kind: "pass" } as const;
    if (stored.mode !== "parallel") return { document: { markdown: await this.log.text(id), parallel: stored.parallel }, plan: pass };
    const logged = readLog(await this.log.entries(id));
    if (firstTurn) return { document: { markdown: logged.text, parallel: stored.parallel }, plan: pass };
    const { progress, catchUp } = resumeParallel(stored.parallel ?? freshProgress(this.deps.config.splitImplementation), logged.parallel);
    const markdown = documentText(progress.parts, false);
    if (!markdown.startsWith(logged.text)) {
      console.error(`generation ${id}: the shared log's text does not match its parts; stored as interrupted`);
      await this.interruptTurn(stored, fence);
      return null;
    }
    const events = catchUp.map(logEvent);
    if (markdown.length > logged.text.length) {
      events.push({ type: "text", data: JSON.stringify(markdown.slice(logged.text.length)), start: logged.text.length, end: markdown.length });
    }
    if ((await this.log.append(id, fence, events)) !== "ok") return null;
    return { document: { markdown, parallel: progress }, plan: pass };
  }

  /**
   * A repair this turn resumes from the stored document (its current version, record and drafts),
   * as Continue resumes a stopped repair. A later owner continues each replacement from the longer
   * of its checkpoint and what readers received (the log's `section` events), so every section
   * channel stays append-only. Null (stored `interrupted`, with an `end` in the log) when the row
   * has no repair record to resume.
   */
  private async resumeRepair(stored: DesignDocument, fence: number, firstTurn: boolean): Promise<Resumed | null> {
    const plan = storedPlan(stored);
    if (plan?.kind !== "repair") {
      console.error(`generation ${stored.id}: repairing without a repair record; stored as interrupted`);
      await this.interruptTurn(stored, fence);
      return null;
    }
    if (firstTurn) return { document: {}, plan };
    const logged = readLog(await this.log.entries(stored.id));
    return { document: {}, plan: { ...plan, drafts: resumeDrafts(plan.record, plan.drafts, logged.drafts) } };
  }

  /** This turn cannot go on: the document is stored `interrupted` (Continue by hand) and readers hear the end. */
  private async interruptTurn(stored: DesignDocument, fence: number): Promise<void> {
    await this.deps.store.interrupt({ id: stored.id, fence }, INTERRUPTED_MESSAGE);
    await this.log.append(stored.id, fence, [logEvent({ type: "end", status: "interrupted", error: INTERRUPTED_MESSAGE, version: stored.version })]);
  }

  /** The queue gave up on a job: its document is stored `interrupted`, to be continued by hand. */
  private async giveUp(id: string, start: string, reason: string): Promise<void> {
    console.error(`generation ${id} failed in the queue: ${reason}`);
    // A copy that lost its lease cannot complete or fail the job for the owner that holds it now.
    if ((await this.queue.getJobState(start).catch(() => "unknown")) !== "failed") return;
    const stored = await this.deps.store.get(id).catch(() => null);
    const meta = await this.log.meta(id).catch(() => null);
    if (stored && isRunningStatus(stored.status) && meta?.start === start) await this.deps.store.interrupt(stored, INTERRUPTED_MESSAGE).catch(() => {});
  }

  async cancel(id: string): Promise<boolean> {
    const { store, registry, config } = this.deps;
    const stored = await store.get(id);
    if (!stored || !isRunningStatus(stored.status)) return false;
    // The flag reaches an owner that takes the job over later; the message the one running it now.
    await this.command.set(this.log.cancelKey(id), "1", "EX", 3600);
    await this.command.publish(this.cancelChannel, id);
    registry.get(id)?.cancel();
    await this.stopWaiting(id);
    const deadline = Date.now() + config.lockDurationMs + config.stalledIntervalMs + 30_000;
    for (let round = 1; Date.now() < deadline; round += 1) {
      const current = await store.get(id);
      if (!current || !isRunningStatus(current.status)) break;
      // Again now and then: an owner that read the flag just before it was set, and started its job just after the message, hears this one.
      if (round % 10 === 0) await this.command.publish(this.cancelChannel, id);
      await sleep(100);
    }
    return true;
  }

  /**
   * A job no instance holds — waiting for a slot under the cluster-wide cap, or back on the queue
   * after its owner died — would hear the cancel only once an instance takes it. It is taken off
   * the queue instead and run here as its owner would run it, already stopped (the cancel flag is
   * set): the document's final state is stored and readers hear the end without a model request.
   * A job an instance took meanwhile cannot be removed (it is locked); that instance hears the cancel.
   */
  private async stopWaiting(id: string): Promise<void> {
    const { start } = await this.log.meta(id);
    if (start === null) return;
    const queued = await this.queue.getJob(start);
    if (!queued || !UNCLAIMED_STATES.has(await queued.getState())) return;
    if ((await this.queue.remove(start)) !== 1) return;
    await this.process(queued, undefined);
  }

  async live(id: string): Promise<LiveGeneration | null> {
    const meta = await this.log.meta(id);
    if (meta.start === null || meta.ended) return null;
    const logged = readLog(await this.log.entries(id));
    // After an accepted repair round the latest text is that version's; the pass's text is what the `text` channel carries.
    return {
      instance: meta.owner,
      markdown: logged.version?.markdown ?? logged.text,
      version: logged.version?.version.version,
      status: logged.repair ? "repairing" : undefined,
      repair: logged.repair,
    };
  }

  async follow(id: string, from: number) {
    const meta = await this.log.meta(id);
    if (meta.start === null) return null;
    return sharedStreamSource(this.log, this.follower, id, from, {
      reload: () => this.deps.store.get(id),
      version: (version) => this.deps.store.getVersion(id, version),
    });
  }

  async activeCount(): Promise<number> {
    const counts = await this.queue.getJobCounts("active", "waiting", "prioritized", "delayed");
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  get activeHere(): number {
    return this.deps.registry.activeCount;
  }

  /**
   * Documents left `generating` that no queued job owns (their job is gone: Redis was emptied, or
   * they were written before Redis was configured). Rows written within the last lease are
   * skipped: their creator may be about to queue them. Everything a live job owns is left alone.
   */
  async recover(): Promise<void> {
    const { store, config } = this.deps;
    const cutoff = new Date(Date.now() - config.lockDurationMs).toISOString();
    let resumed = 0;
    for (const document of await store.listUnfinished(cutoff)) {
      const meta = await this.log.meta(document.id);
      if (meta.start !== null && OWNED_STATES.has(await this.queue.getJobState(meta.start))) continue;
      if (!config.autoResume) {
        await store.interrupt(document, INTERRUPTED_MESSAGE);
        continue;
      }
      const fence = await store.claim(document);
      if (fence === null) continue;
      // The shared log, when it outlived its job, holds what readers received.
      const logged = readLog(meta.start !== null && !meta.ended ? await this.log.entries(document.id) : []);
      if (document.status === "repairing") {
        // The repair resumes from its stored version, record and drafts (the first owner reads them from the row).
        await this.start({ ...document, fence });
      } else if (document.mode === "parallel") {
        // A new start (a fresh log): the parts resume as a takeover would; the first owner finds them stored.
        const { progress } = resumeParallel(document.parallel ?? freshProgress(config.splitImplementation), logged.parallel);
        const markdown = documentText(progress.parts, false);
        if (!(await store.checkpoint({ id: document.id, fence }, markdown, document.continuations, { parallel: progress }))) continue;
        await this.start({ ...document, fence, markdown, parallel: progress });
      } else {
        // The log holds at least as much as the last checkpoint, unless it is gone.
        const markdown = logged.text.length >= document.markdown.length ? logged.text : document.markdown;
        await this.start({ ...document, fence, markdown });
      }
      resumed += 1;
    }
    if (resumed > 0) console.log(`AUTO_RESUME: ${resumed} generation(s) nobody owned are queued again`);
  }

  /** Hands this instance's generations back to the queue, where another instance takes them at once. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.running.values()].map((running) => running.handOver().catch(() => {})));
    await this.worker?.close().catch(() => {});
    this.follower.close();
    await this.queue.close().catch(() => {});
    for (const client of [this.command, this.blocking, this.subscriber, this.queueConnection]) client.disconnect();
  }

  async health(): Promise<RedisHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RedisHealth>((resolve) => (timer = setTimeout(() => resolve("timeout"), HEALTH_TIMEOUT_MS)));
    const ping = this.command.ping().then(
      (): RedisHealth => "ok",
      (): RedisHealth => "unreachable",
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
