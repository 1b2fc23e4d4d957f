/**
 * The Redis half of the distribution layer, on a real Redis: the fenced shared log, the writer
 * that feeds it from a job, the source that serves it to readers on any instance, and the
 * admission ledger shared by instances.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { EventLog } from "@/lib/cluster/redis/event-log";
import { JobLogWriter } from "@/lib/cluster/redis/job-log-writer";
import { RedisAdmissionLedger } from "@/lib/cluster/redis/redis-admission-ledger";
import { sharedStreamSource } from "@/lib/cluster/redis/shared-stream-source";
import { StreamFollower } from "@/lib/cluster/redis/stream-follower";
import type { DesignDocument } from "@/lib/documents/types";
import type { DocumentEvent } from "@/lib/events/document-events";
import { GenerationJob } from "@/lib/generation/job";
import { createEventStream } from "@/lib/http/event-stream";
import { EMOJI_DOCUMENT, emojiLibraryDocument } from "../support/emoji-document";
import { largeRepairRecord } from "../support/large-side-state";
import { connectTestRedis, type TestRedis } from "../support/redis";
import { recordingSink } from "../support/recording-sink";
import { readDocumentEvents } from "../support/sse";

const availability = await connectTestRedis();
const redisUnavailable = availability.ok ? null : availability.reason;
if (redisUnavailable) console.warn(`\n⚠ Skipping the shared-log tests: ${redisUnavailable}\n`);

let redis: TestRedis;
let prefix: string;
/** Clients without ioredis' keyPrefix (XREAD replies name keys in full); keys still live under the run's prefix. */
const plain = (): Redis => redis.client({ keyPrefix: "" });

beforeAll(() => {
  if (!availability.ok) return;
  redis = availability.redis;
  prefix = `${redis.prefix}log`;
});
afterAll(async () => {
  await redis?.cleanup();
});

let documentCounter = 0;
const newId = () => `doc${++documentCounter}`;
const text = (delta: string, end: number) => ({ type: "text", data: JSON.stringify(delta), start: end - delta.length, end });

const generating = async () => ({ status: "generating" }) as DesignDocument;

describe.skipIf(redisUnavailable !== null)("the shared log of a generation", () => {
  it("takes appends only from the current fence: a stale owner's text is refused once another took over", async () => {
    const log = new EventLog(plain(), prefix);
    const id = newId();
    await log.begin(id, `${id}.1`, 1, "prefix 🦀");
    expect(await log.append(id, 1, [text("one ", 13)])).toBe("ok");
    expect(await log.takeOver(id, `${id}.1`, 2, "instance-b")).toBe(true);
    expect(await log.append(id, 1, [text("stale", 18)])).toBe("fenced");
    expect(await log.append(id, 2, [text("two", 16)])).toBe("ok");
    expect(await log.text(id)).toBe("prefix 🦀one two");
    expect(await log.meta(id)).toMatchObject({ start: `${id}.1`, fence: 2, owner: "instance-b", length: 16, ended: false });
    // A takeover needs a newer fence, of the same start.
    expect(await log.takeOver(id, `${id}.1`, 2, "instance-c")).toBe(false);
    expect(await log.takeOver(id, `${id}.0`, 3, "instance-c")).toBe(false);
  });

  it("takes text only where the log's text ends: no gap, no overlap", async () => {
    const log = new EventLog(plain(), prefix);
    const id = newId();
    await log.begin(id, `${id}.1`, 1, "");
    expect(await log.append(id, 1, [text("abc", 3)])).toBe("ok");
    expect(await log.append(id, 1, [text("bcd", 4)])).toBe("gap");
    expect(await log.append(id, 1, [text("e", 5)])).toBe("gap");
    expect(await log.append(id, 1, [text("d", 4), { type: "checks", data: "{}", start: 0, end: 0 }, text("e", 5)])).toBe("ok");
    expect(await log.text(id)).toBe("abcde");
    expect((await log.entries(id)).map((entry) => [entry.type, entry.offset])).toEqual([
      ["text", 3],
      ["text", 4],
      ["checks", 4],
      ["text", 5],
    ]);
  });

  it("refuses everything after `end`, and a new start begins a fresh log", async () => {
    const log = new EventLog(plain(), prefix);
    const id = newId();
    await log.begin(id, `${id}.1`, 1, "");
    expect(await log.append(id, 1, [text("done", 4), { type: "end", data: JSON.stringify({ type: "end", status: "complete", error: null }), start: 0, end: 0 }])).toBe("ok");
    expect(await log.append(id, 1, [text("!", 5)])).toBe("fenced");
    expect((await log.meta(id)).ended).toBe(true);
    await log.begin(id, `${id}.2`, 2, "done");
    expect(await log.meta(id)).toMatchObject({ start: `${id}.2`, fence: 2, length: 4, ended: false });
    expect((await log.entries(id)).map((entry) => entry.type)).toEqual(["text"]);
  });

  it("a job's writer stops the job once its fence is refused; the new owner's writer continues the same text", async () => {
    const log = new EventLog(plain(), prefix);
    const id = newId();
    await log.begin(id, `${id}.1`, 1, "");
    const old = new GenerationJob(id, { text: "", continuations: 0, version: 1 });
    let oldLost = 0;
    const oldWriter = new JobLogWriter(log, id, 1, old, () => (oldLost += 1), { replay: "all", redact: (text) => text });
    old.append("Hello, ");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Another instance takes over (it read the log), while the old copy is still producing.
    expect(await log.takeOver(id, `${id}.1`, 2, "b")).toBe(true);
    const successor = new GenerationJob(id, { text: await log.text(id), continuations: 0, version: 1 });
    const writer = new JobLogWriter(log, id, 2, successor, () => {
      throw new Error("the current owner must not lose its lease");
    }, { replay: "states", redact: (text) => text });
    old.append("STALE");
    old.append(" MORE STALE");
    await oldWriter.settled;
    expect(oldLost).toBe(1);
    expect(oldWriter.leaseLost).toBe(true);
    successor.append("world 🌍");
    successor.end("complete", null);
    await writer.settled;
    expect(await log.text(id)).toBe("Hello, world 🌍");
    expect((await log.meta(id)).ended).toBe(true);
  });

  it("serves every reader on every instance the same events, with every event type the job reports", async () => {
    const owner = new EventLog(plain(), prefix);
    const instances = [0, 1].map(() => {
      const command = plain();
      return { log: new EventLog(command, prefix), follower: new StreamFollower(plain(), command) };
    });
    const id = newId();
    await owner.begin(id, `${id}.1`, 1, "# Title 🦀\n");
    const job = new GenerationJob(id, { text: "# Title 🦀\n", continuations: 0, version: 1 });
    const writer = new JobLogWriter(owner, id, 1, job, () => {}, { replay: "all", redact: (text) => text });
    const early = instances.map((instance) => {
      const reader = recordingSink();
      sharedStreamSource(instance.log, instance.follower, id, 0, { reload: generating, version: async () => null })(reader.sink);
      return reader;
    });
    // A reader resuming mid-text, on the second instance.
    const resuming = recordingSink(11);
    job.append("Body ");
    job.append("\ud83c"); // half an emoji: the next delta completes it
    job.append("\udf0d text");
    await new Promise((resolve) => setTimeout(resolve, 100));
    sharedStreamSource(instances[1]!.log, instances[1]!.follower, id, 11, { reload: generating, version: async () => null })(resuming.sink);
    job.recordTypecheck({ status: "unavailable", reason: "test", checkedLength: 26, compilerVersion: null, ms: 0, blocks: [], section5: null } as never);
    // An event type the pipeline may add later travels the same way (readers ignore types they do not know).
    (job as unknown as { emit(event: unknown): void }).emit({ type: "thinking", active: true });
    job.append(" more");
    job.end("complete", null);
    await writer.settled;
    await expect.poll(() => early.every((reader) => reader.closed()) && resuming.closed(), { timeout: 5_000 }).toBe(true);

    const full = "# Title 🦀\nBody 🌍 text more";
    for (const reader of early) {
      expect(reader.text()).toBe(full);
      expect(reader.events.map((event) => event.type)).toEqual(["activity", "checks", "thinking", "end"]);
      expect(reader.events.at(-1)).toEqual({ type: "end", offset: full.length, status: "complete", error: null, version: 1 });
    }
    expect(resuming.text()).toBe(full.slice(11));
    expect(resuming.events.map((event) => event.type)).toEqual(["activity", "checks", "thinking", "end"]);
    // A reader attaching after the end gets it all, from the log.
    const late = recordingSink();
    sharedStreamSource(instances[0]!.log, instances[0]!.follower, id, 0, { reload: generating, version: async () => null })(late.sink);
    await expect.poll(() => late.closed(), { timeout: 5_000 }).toBe(true);
    expect(late.text()).toBe(full);
    for (const instance of instances) instance.follower.close();
  });
});

describe.skipIf(redisUnavailable !== null)("a long repair through the shared log", () => {
  it("reaches readers on another instance in events of at most MAX_EVENT_DATA_BYTES, replayed and live, read back whole", async () => {
    const owner = new EventLog(plain(), prefix);
    const command = plain();
    const reader = { log: new EventLog(command, prefix), follower: new StreamFollower(plain(), command) };
    const id = newId();
    // The first pass (over 16 KB, emoji throughout) is the text channel; the repair's state is large.
    await owner.begin(id, `${id}.1`, 1, EMOJI_DOCUMENT);
    const job = new GenerationJob(id, { text: EMOJI_DOCUMENT, continuations: 0, version: 1 });
    const writer = new JobLogWriter(owner, id, 1, job, () => {}, { replay: "all", redact: (text) => text });
    const draft = `## 4. Correct Design 🔧\n\n${"🦀x".repeat(9_000)}`;
    const v2 = EMOJI_DOCUMENT.replace("(0)", "(0) 🩹");
    const v3 = emojiLibraryDocument();
    job.beginRepair(largeRepairRecord("running"));
    job.appendSection(4, 2, draft);
    job.acceptVersion({ version: 2, createdAt: "t2", reason: "Repair round 1: sections 1, 4", satisfied: 11 }, v2);
    await expect.poll(async () => (await owner.entries(id)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);

    // A reader on another instance attaches mid-repair (its replay comes from the log), then follows live.
    const abort = new AbortController();
    const body = createEventStream(sharedStreamSource(reader.log, reader.follower, id, 0, { reload: generating, version: async () => null }), abort.signal);
    const reading = (async () => {
      const events: DocumentEvent[] = [];
      // readDocumentEvents refuses any event over MAX_EVENT_DATA_BYTES (tests/support/sse.ts).
      for await (const event of readDocumentEvents(body)) events.push(event);
      return events;
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    job.updateRepair(largeRepairRecord("finished"));
    job.acceptVersion({ version: 3, createdAt: "t3", reason: "Repair round 2: sections 2, 4", satisfied: 12 }, v3);
    job.end("complete", null);
    await writer.settled;
    const events = await reading;
    reader.follower.close();

    const text = events.flatMap((event) => (event.type === "text" ? [event.delta] : [])).join("");
    expect(text).toBe(EMOJI_DOCUMENT);
    expect(events.filter((event) => event.type === "repair").map((event) => event.type === "repair" && event.repair)).toEqual([
      largeRepairRecord("running"),
      largeRepairRecord("finished"),
    ]);
    const replacement = events.flatMap((event) => (event.type === "section" ? [event] : []));
    expect(replacement.length).toBeGreaterThan(4);
    expect(replacement.map((event) => event.delta).join("")).toBe(draft);
    expect(events.flatMap((event) => (event.type === "version" ? [[event.version.version, event.markdown]] : []))).toEqual([
      [2, v2],
      [3, v3],
    ]);
    expect(events.at(-1)).toEqual({ type: "end", offset: EMOJI_DOCUMENT.length, status: "complete", error: null, version: 3 });
  });
});

describe.skipIf(redisUnavailable !== null)("the admission ledger shared by instances", () => {
  it("lets one of many identical creations on two instances run; the others get its document", async () => {
    const documents = new Map<string, DesignDocument>();
    const ledger = () =>
      new RedisAdmissionLedger(plain(), prefix, {
        isRunning: async (id) => documents.get(id)?.status === "generating",
        load: async (id) => documents.get(id)!,
      });
    const instances = [ledger(), ledger()];
    let creations = 0;
    const create = async () => {
      creations += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const document = { id: `created-${creations}`, status: "generating" } as DesignDocument;
      documents.set(document.id, document);
      return { document };
    };
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, index) => instances[index % 2]!.shareCreation("same key", create)));
    expect(creations).toBe(1);
    const ids = await Promise.all(outcomes.map(async (outcome) => (outcome.shared ? (await outcome.document).id : (await outcome.result).document.id)));
    expect(new Set(ids)).toEqual(new Set(["created-1"]));
    expect(outcomes.filter((outcome) => !outcome.shared)).toHaveLength(1);

    await instances[0]!.trackRunning("same key", "created-1");
    expect(await instances[1]!.runningDocumentId("same key")).toBe("created-1");
    documents.get("created-1")!.status = "complete";
    expect(await instances[1]!.runningDocumentId("same key")).toBeUndefined();
  });

  it("gives requests that arrived while it was made the created document even when it has already finished", async () => {
    const documents = new Map<string, DesignDocument>();
    const ledger = new RedisAdmissionLedger(plain(), prefix, {
      isRunning: async () => false,
      load: async (id) => documents.get(id)!,
    });
    let creations = 0;
    const create = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const document = { id: `quick-${++creations}`, status: "complete" } as DesignDocument;
      documents.set(document.id, document);
      return { document };
    };
    const outcomes = await Promise.all([1, 2, 3].map(() => ledger.shareCreation("quick key", create)));
    expect(creations).toBe(1);
    expect(outcomes.filter((outcome) => outcome.shared)).toHaveLength(2);
  });

  it("hands a request that comes after a creation its document only while it runs", async () => {
    const documents = new Map<string, DesignDocument>();
    const ledger = new RedisAdmissionLedger(plain(), prefix, {
      isRunning: async (id) => documents.get(id)?.status === "generating",
      load: async (id) => documents.get(id)!,
    });
    let creations = 0;
    const create = async () => {
      const document = { id: `later-${++creations}`, status: "generating" } as DesignDocument;
      documents.set(document.id, document);
      return { document };
    };
    const first = await ledger.shareCreation("later key", create);
    expect(first.shared).toBe(false);
    await (first as { result: Promise<unknown> }).result;
    // The creator's `created:` mark was sent (on this connection, so before anything below) as its result resolved.
    expect((await ledger.shareCreation("later key", create)).shared).toBe(true);
    expect(creations).toBe(1);

    documents.get("later-1")!.status = "complete";
    const later = await ledger.shareCreation("later key", create);
    expect(later.shared).toBe(false);
    expect((await (later as { result: Promise<{ document: DesignDocument }> }).result).document.id).toBe("later-2");
  });
});
