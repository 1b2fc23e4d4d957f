/**
 * Secrets never reach Redis. A studio on a real Redis whose model provider answers with errors
 * that quote the configured API key (as the Authorization header it received), the configured
 * access token (bare: only the studio's own redaction knows it), another `sk-…` key, a
 * `Bearer …` value and URL credentials — before the stream, inside it, in one parallel
 * part and in a repair request — and then every key of the Redis database is read (SCAN, TYPE
 * and the reading command of each type): the shared logs, the BullMQ queue (job data, failed
 * reasons, its event stream), the admission ledger, the cancel flags. The secret values are
 * random per run, so the whole database can be searched for them; keys under this studio's
 * prefix are also searched for anything shaped like a secret.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";
import { connectTestRedis, readEveryKey } from "../support/redis";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const availability = await connectTestRedis();
const redisUnavailable = availability.ok ? null : availability.reason;
if (redisUnavailable) console.warn(`\n⚠ Skipping the Redis redaction test: ${redisUnavailable}\n`);

const random = () => randomBytes(12).toString("hex");
const API_KEY = `sk-test-${random()}`;
const OTHER_KEY = `sk-live-${random()}`;
const SESSION = `tok_${random()}`;
const URL_PASSWORD = `pw-${random()}`;
const ACCESS_TOKEN = `access-${random()}`;
const SECRETS = [API_KEY, ACCESS_TOKEN, OTHER_KEY, SESSION, URL_PASSWORD];
/** What a provider's error says; the fake replaces {authorization} with the header it received (Bearer and the configured key). */
const QUOTING = `Incorrect API key provided: {authorization}. The relay https://relay-user:${URL_PASSWORD}@gateway.example/v1 also tried ${OTHER_KEY} with Bearer ${SESSION}; the client sent ${ACCESS_TOKEN}.`;
/** Secret-shaped text that is not the redaction marker. */
const SECRET_SHAPES = [/\b(?:sk|rk|pk)-[A-Za-z0-9_-]{12,}/, /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{6,}/i, /\b[a-z][a-z0-9+.-]*:\/\/(?!\[redacted\]@)[^\s/@:"]+(?::[^\s/@"]*)?@/i];

const prefix = availability.ok ? `${availability.redis.prefix}studio` : "";
const h = useStudioHarness({
  REDIS_URL: availability.ok ? availability.redis.url : "",
  REDIS_PREFIX: prefix,
  OPENAI_API_KEY: API_KEY,
  ACCESS_TOKEN,
  REPAIR: "on",
  INSTANCE_ID: "redaction-a",
});

afterAll(async () => {
  if (availability.ok) await availability.redis.cleanup();
});

const bearer = { authorization: `Bearer ${ACCESS_TOKEN}` };

async function create(topic: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await h.create({ topic, fresh: true, ...extra }, bearer);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Reads the document's stream to its `end`: the stream is served from the shared log, so the log then holds everything, `end` included. */
async function readToEnd(id: string) {
  const read = await consumeDocumentStream((await h.stream(id)).body!);
  expect(read.end).not.toBeNull();
  return read;
}

describe.skipIf(redisUnavailable !== null)("secrets and Redis", () => {
  it("provider errors quoting the API key, sk- keys, Bearer values and URL credentials reach no Redis key", async () => {
    const ids: string[] = [];
    const stamp = Date.now().toString(36);

    // 1. Refused before the stream (401, not retried): the end's error.
    h.fake.setScenario({ failBeforeStream: 1, failStatus: 401, failMessage: QUOTING, chunkSize: 400, delayMs: 1 });
    const refused = await create(`Secret Refusal ${stamp}`);
    ids.push(refused);
    expect((await readToEnd(refused)).end).toMatchObject({ status: "failed", error: expect.stringMatching(/Bearer \[redacted\]/) });

    // 2. A 500 that is retried (its history entry quotes the provider), then the document completes.
    h.fake.setScenario({ failBeforeStream: 1, failStatus: 500, failMessage: QUOTING, chunkSize: 400, delayMs: 1 });
    const retried = await create(`Secret Retry ${stamp}`);
    ids.push(retried);
    expect((await readToEnd(retried)).end?.status).toBe("complete");

    // 3. An error object inside the stream, after some text.
    h.fake.setScenario({ errorEventAtChar: 300, errorEvent: { message: `Upstream failed for ${ACCESS_TOKEN}: Bearer ${API_KEY} at https://relay-user:${URL_PASSWORD}@gateway.example/v1`, code: 502 }, chunkSize: 50, delayMs: 1 });
    const midStream = await create(`Secret Mid Stream ${stamp}`);
    ids.push(midStream);
    expect((await readToEnd(midStream)).end?.status).toBe("failed");

    // 4. Parallel mode: one part refused; its state carries the error.
    h.fake.setScenario({ faultTarget: "9", failBeforeStream: 1, failStatus: 401, failMessage: QUOTING, chunkSize: 2_000, delayMs: 1 });
    const parallel = await create(`Secret Part 🔐 ${stamp}`, { mode: "parallel" });
    ids.push(parallel);
    const parallelRead = await readToEnd(parallel);
    expect(parallelRead.end?.status).toBe("failed");
    expect(JSON.stringify(parallelRead.events.filter((event) => event.type === "section-state"))).toMatch(/Bearer \[redacted\]/);

    // 5. The repair pass: section 7's request fails with the quoting message; the repair's reasons carry it.
    const repairTopic = `Secret Repair ${stamp}`;
    h.fake.setScenario({
      documentsByTopic: { [repairTopic]: draft(REQUEST_DEDUPLICATION, "s7-deadlocks-timeouts") },
      failMessage: QUOTING,
      repair: { source: REQUEST_DEDUPLICATION, actions: { "7": ["http-500", "http-500", "http-500"] } },
      chunkSize: 2_000,
      delayMs: 1,
    });
    const repaired = await create(repairTopic);
    ids.push(repaired);
    const repairRead = await readToEnd(repaired);
    expect(repairRead.end?.status).toBe("complete");
    expect(JSON.stringify(repairRead.events.filter((event) => event.type === "repair"))).toMatch(/Bearer \[redacted\]/);

    // The provider really quoted them: redaction, not the fake, kept them out.
    expect(h.fake.requests.filter((request) => request.status === 401 || request.status === 500).length).toBeGreaterThanOrEqual(4);
    expect(String(h.fake.requests[0]?.headers.authorization)).toBe(`Bearer ${API_KEY}`);

    const plain = availability.ok ? availability.redis.client({ keyPrefix: "" }) : null;
    const everything = await readEveryKey(plain!);
    const ours = everything.filter((entry) => entry.key.startsWith(`${prefix}:`));
    // What the scan read is what the studio wrote: every document's log, the queue and its events, the admission ledger.
    for (const id of ids) expect(ours.map((entry) => entry.key)).toContain(`${prefix}:doc:${id}:events`);
    expect(ours.some((entry) => entry.key.startsWith(`${prefix}:bull:generations:`) && entry.type === "stream")).toBe(true);
    expect(ours.some((entry) => entry.key.startsWith(`${prefix}:admission:`))).toBe(true);

    // No key anywhere in the database names or holds a secret of this run; nothing under this studio's prefix is even shaped like one.
    const leaks: string[] = [];
    for (const entry of everything) {
      const mine = entry.key.startsWith(`${prefix}:`);
      for (const text of [entry.key, ...entry.values]) {
        const secret = SECRETS.find((candidate) => text.includes(candidate));
        const shape = mine ? SECRET_SHAPES.map((pattern) => pattern.exec(text)?.[0]).find(Boolean) : undefined;
        const found = secret ?? shape;
        if (found) leaks.push(`${entry.type} ${entry.key}: …${text.slice(Math.max(0, text.indexOf(found) - 80), text.indexOf(found) + found.length + 20)}…`);
      }
    }
    expect(leaks).toEqual([]);

    // The errors did reach Redis — redacted.
    const written = ours.flatMap((entry) => entry.values).join("\n");
    for (const marker of ["Bearer [redacted]", "https://[redacted]@gateway.example/v1", "the client sent [redacted]."]) {
      expect(written.includes(marker), `Redis holds "${marker}"`).toBe(true);
    }
  }, 120_000);
});
