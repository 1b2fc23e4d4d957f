/**
 * A parallel-mode document on several instances (real Redis, one database): its owner hands it
 * over mid-generation (the path a SIGTERM and a lost lease share: a takeover with a newer fence),
 * and another instance continues every unfinished part from what readers received. Readers on
 * the other instances follow one consistent stream: the text channel and every part's channel
 * continue exactly, and the document ends complete with the fixture's text.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config/env";
import { openDocumentEvents } from "@/lib/documents/open-document-events";
import { documentText } from "@/lib/documents/section-parts";
import { createEventStream } from "@/lib/http/event-stream";
import { createStudio, type Studio } from "@/lib/studio";
import { orderedParts, readParallelStream } from "../support/parallel-reader";
import { clusterInstanceEnv, connectTestRedis } from "../support/redis";
import { useStudioHarness } from "../support/studio-harness";

const availability = await connectTestRedis();
const redisUnavailable = availability.ok ? null : availability.reason;
if (redisUnavailable) console.warn(`\n⚠ Skipping the parallel takeover tests: ${redisUnavailable}\n`);

const h = useStudioHarness({
  ...clusterInstanceEnv(availability, "instance-a"),
  GENERATION_MODE: "parallel",
  SECTION_CONCURRENCY: "4",
});

const FIXTURE = readFileSync("lib/examples/library/circuit-breaker.md", "utf8");
const others: Studio[] = [];

afterAll(async () => {
  for (const studio of others) {
    await studio.generations.shutdown().catch(() => {});
    await studio.store.close();
  }
  if (availability.ok) await availability.redis.cleanup();
});

/** Instances b and c, started once, sharing the database and Redis with the harness's instance a. */
async function otherInstances(): Promise<Studio[]> {
  if (others.length === 0) for (const instanceId of ["instance-b", "instance-c"]) others.push(await createStudio({ ...getConfig(), instanceId }));
  return others;
}

/** The events of `id` as an instance serves them to a reader, read as the live page reads them. */
async function readOn(studio: Studio, id: string) {
  const stream = createEventStream(await openDocumentEvents(studio, id, 0), new AbortController().signal);
  return readParallelStream(stream);
}

async function finished(studio: Studio, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const document = await studio.store.get(id);
    if (document && document.status !== "generating") return document;
    if (Date.now() > deadline) throw new Error(`${id} still generating`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(redisUnavailable !== null)("a parallel document across instances", () => {
  it("continued after Stop: readers on another instance get the kept parts too, from the shared log alone", async () => {
    h.fake.setScenario({ document: FIXTURE, chunkSize: 10, delayMs: 10 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const [b] = await otherInstances();
    await h.fake.waitFor((requests) => requests.some((request) => request.planned !== "outline" && request.outcome === "stop"), 30_000);
    expect((await h.action(id, "cancel")).status).toBe(200);
    const stopped = (await h.studio.store.get(id))!;
    expect(stopped.status).toBe("cancelled");
    const kept = stopped.parallel!.parts.filter((part) => part.section > 0 && part.state === "complete");
    expect(kept.length).toBeGreaterThan(0);

    h.fake.setScenario({ document: FIXTURE, chunkSize: 200, delayMs: 20 });
    h.fake.clearRequests();
    expect((await h.action(id, "continue")).status).toBe(202);
    const read = await readOn(b!, id);
    expect((await finished(b!, id)).markdown).toBe(FIXTURE);
    expect(read.end?.status).toBe("complete");
    expect(read.outline?.title).toBe("Circuit Breaker");
    // The kept parts were never written again, yet this reader has their text: the first owner put them in the log.
    for (const part of kept) expect(read.parts.get(`${part.section}.${part.part}`)?.text).toBe(part.text);
    expect(documentText(orderedParts(read), true)).toBe(FIXTURE);
    expect(h.fake.requests.filter((request) => request.planned === "outline")).toHaveLength(0);
  }, 90_000);

  it("handed over mid-generation: another instance continues every unfinished part from what readers received", async () => {
    h.fake.setScenario({ document: FIXTURE, chunkSize: 10, delayMs: 10 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const instances = new Map<string, Studio>([[h.studio.instance, h.studio], ...(await otherInstances()).map((studio) => [studio.instance, studio] as const)]);
    await expect.poll(async () => (await h.studio.generations.live(id))?.instance ?? null, { timeout: 20_000 }).not.toBeNull();
    const ownerId = (await h.studio.generations.live(id))!.instance!;
    const owner = instances.get(ownerId)!;
    const [first, second] = [...instances.values()].filter((studio) => studio !== owner);
    // Readers attach to the two other instances while the owner writes.
    const readers = [first!, second!].map((studio) => readOn(studio, id));
    await h.fake.waitFor((requests) => requests.filter((request) => request.planned !== "outline" && request.servedChars > 300).length >= 3, 30_000);

    // The owner lets go (as on SIGTERM): its fence is retired first, then its job goes back to the queue.
    await owner.generations.shutdown();
    const [reader, other] = await Promise.all(readers);
    const document = await finished(first!, id);

    expect(document.status).toBe("complete");
    expect(document.markdown).toBe(FIXTURE);
    for (const read of [reader!, other!]) {
      // readParallelStream has checked, as it read, that every channel continued exactly.
      expect(read.end?.status).toBe("complete");
      expect(read.text).toBe(FIXTURE);
      expect(documentText(orderedParts(read), true)).toBe(FIXTURE);
      for (const part of document.parallel!.parts) expect(read.parts.get(`${part.section}.${part.part}`)?.text).toBe(part.text);
    }
    // The unfinished parts were continued from their text (the model agreed it was the start of its answer), the outline kept.
    const continued = h.fake.requests.filter((request) => request.isContinuation);
    expect(continued.length).toBeGreaterThan(0);
    expect(continued.every((request) => !request.prefixMismatch && request.continuationChars > 0)).toBe(true);
    expect(h.fake.requests.filter((request) => request.planned === "outline")).toHaveLength(1);
    // A reader attaching after the end, on either instance, gets the same parts.
    const late = await readOn(second!, id);
    expect(late.text).toBe(FIXTURE);
    expect(documentText(orderedParts(late), true)).toBe(FIXTURE);
  }, 90_000); // a busy machine: an instance can also lose its lease to a stalled event loop, and the next one takes over again
});
