/**
 * The repair pass on several instances (real Redis, one database): the repair runs inside the
 * BullMQ job wherever it runs, its events (repair, section, version, end with the version) reach
 * readers on every instance from the shared log, and an owner that lets go mid-repair (the path a
 * SIGTERM and a lost lease share: a takeover with a newer fence) is followed by another instance
 * that resumes the repair as Continue does — each replacement continued from what readers got —
 * and ends it, never leaving the document running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config/env";
import { openDocumentEvents } from "@/lib/documents/open-document-events";
import type { DocumentEvent, EndEvent } from "@/lib/events/document-events";
import { createEventStream } from "@/lib/http/event-stream";
import { createStudio, type Studio } from "@/lib/studio";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";
import { clusterInstanceEnv, connectTestRedis } from "../support/redis";
import { readDocumentEvents } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const availability = await connectTestRedis();
const redisUnavailable = availability.ok ? null : availability.reason;
if (redisUnavailable) console.warn(`\n⚠ Skipping the repair takeover test: ${redisUnavailable}\n`);

const h = useStudioHarness({
  ...clusterInstanceEnv(availability, "instance-a"),
  REPAIR: "on",
  REPAIR_CONCURRENCY: "2",
});

const others: Studio[] = [];
beforeAll(async () => {
  await sharedTypecheckWorker().warm();
}, 120_000);
afterAll(async () => {
  for (const studio of others) {
    await studio.generations.shutdown().catch(() => {});
    await studio.store.close();
  }
  await sharedTypecheckWorker().close();
  if (availability.ok) await availability.redis.cleanup();
});

interface RepairRead {
  events: DocumentEvent[];
  /** Each replacement's text, keyed `number.round`, as a reader appends it (only where a delta continues it). */
  sections: Map<string, string>;
  /** A `section` delta that started beyond what the reader held (a gap). */
  gaps: number;
  end: EndEvent | null;
}

async function readOn(studio: Studio, id: string): Promise<RepairRead> {
  const stream = createEventStream(await openDocumentEvents(studio, id, 0), new AbortController().signal);
  const read: RepairRead = { events: [], sections: new Map(), gaps: 0, end: null };
  for await (const event of readDocumentEvents(stream)) {
    read.events.push(event);
    if (event.type === "section") {
      const key = `${event.number}.${event.round}`;
      const held = read.sections.get(key) ?? "";
      if (event.from > held.length) read.gaps += 1;
      else if (event.from + event.delta.length > held.length) read.sections.set(key, held + event.delta.slice(held.length - event.from));
      else read.sections.set(key, held);
    }
    if (event.type === "end") read.end = event;
  }
  return read;
}

async function ended(studio: Studio, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const document = await studio.store.get(id);
    if (document && document.status !== "generating" && document.status !== "repairing") return document;
    if (Date.now() > deadline) throw new Error(`${id} still ${document?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(redisUnavailable !== null)("a repair across instances", () => {
  it("handed over mid-repair: another instance resumes the repair from what readers received; readers everywhere get the version and the end", async () => {
    const original = REQUEST_DEDUPLICATION;
    const first = draft(original, "s7-deadlocks-timeouts", "s10-use-instead");
    const topic = `Request Deduplication 🦀 across instances ${Date.now().toString(36)}`;
    // The first pass fast, the replacements slow enough to hand over in the middle of them.
    h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original, chunkSize: 8, delayMs: 40 }, chunkSize: 400, delayMs: 1 });
    const { id } = await h.createOk(topic);
    if (others.length === 0) for (const instanceId of ["instance-b", "instance-c"]) others.push(await createStudio({ ...getConfig(), instanceId }));
    const instances = new Map<string, Studio>([[h.studio.instance, h.studio], ...others.map((studio) => [studio.instance, studio] as const)]);

    // The repair is under way, and a replacement has been streamed in part.
    await expect.poll(async () => (await h.studio.store.get(id))?.status, { timeout: 30_000 }).toBe("repairing");
    await h.fake.waitFor((requests) => requests.some((request) => request.repair !== null && request.servedChars > 200), 30_000);
    const live = await h.studio.generations.live(id);
    expect(live?.status).toBe("repairing");
    const owner = instances.get(live!.instance!)!;
    const [first_, second] = [...instances.values()].filter((studio) => studio !== owner);
    const readers = [first_!, second!].map((studio) => readOn(studio, id));
    // Let the readers receive part of the replacements before the owner lets go.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const repairRequestsBefore = h.fake.requests.filter((request) => request.repair !== null).length;

    // The owner lets go (as on SIGTERM): its fence is retired first, then its job goes back to the queue.
    await owner.generations.shutdown();
    const document = await ended(first_!, id);
    const reads = await Promise.all(readers);

    // Resumed, not left running nor falsely complete: the repair finished on another instance with a new version.
    expect(document.status).toBe("complete");
    expect(document.repair?.status).toBe("finished");
    expect(document.version).toBe(2);
    expect(document.report?.sections.filter((section) => section.state !== "satisfied").map((section) => section.number)).toEqual([]);
    // The new owner sent new repair requests, each continuing the replacement from its text (no mismatched prefix).
    const resumed = h.fake.requests.filter((request) => request.repair !== null).slice(repairRequestsBefore);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.some((request) => request.isContinuation && request.continuationChars > 0)).toBe(true);
    expect(resumed.every((request) => !request.prefixMismatch)).toBe(true);

    for (const read of reads) {
      // Every section channel only grew; the version and the end carry the stored result.
      expect(read.gaps).toBe(0);
      expect(read.end).toMatchObject({ status: "complete", version: 2 });
      const version = read.events.filter((event) => event.type === "version").at(-1);
      expect(version?.type === "version" && version.markdown).toBe(document.markdown);
      const repair = read.events.filter((event) => event.type === "repair").at(-1);
      expect(repair?.type === "repair" && repair.repair.status).toBe("finished");
    }
    // Both instances served the same events (same bytes from the same log).
    expect(JSON.stringify(reads[0]!.events)).toBe(JSON.stringify(reads[1]!.events));
    expect(reads[0]!.sections).toEqual(reads[1]!.sections);
  }, 120_000);
});
