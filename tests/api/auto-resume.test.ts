import { describe, expect, it } from "vitest";
import { InProcessGenerations } from "@/lib/cluster/in-process-generations";
import { INTERRUPTED_MESSAGE, RESUMES_AFTER_RESTART_MESSAGE } from "@/lib/cluster/messages";
import { DocumentStore } from "@/lib/store/document-store";
import { useStudioHarness } from "../support/studio-harness";
import { bigUnicodeDocument } from "../support/unicode-fixtures";

/** One instance, no Redis: what a restarted process does with the generations the previous one left. */
const h = useStudioHarness({ MAX_CONCURRENT_GENERATIONS: "1", RATE_LIMIT_PER_HOUR: "1" });

const FIXTURE = bigUnicodeDocument("Auto Resume 🦀", 300);
let counter = 0;

/** Rows a dead process left behind, written as it would have (through a store of its own). */
async function leftBehind(count: number, partial: string) {
  const previous = await DocumentStore.open(h.databaseUrl);
  try {
    const documents = [];
    for (let index = 0; index < count; index += 1) {
      const document = await previous.create({
        id: `auto-resume-${++counter}-${"x".repeat(8)}`,
        topic: `Auto Resume ${counter}`,
        topicKey: `auto resume ${counter}`,
        model: "fake-model",
        promptStyle: "contract",
        promptVersion: h.studio.prompt.version,
        clientKey: "ip:192.0.2.77",
        editTokenHash: null,
        ownerScope: "ip:192.0.2.77",
      });
      if (index === 0) await previous.checkpoint(document, partial, 0);
      documents.push(document);
    }
    return documents;
  } finally {
    await previous.close();
  }
}

const generations = (autoResume: boolean) =>
  new InProcessGenerations({ registry: h.studio.registry, store: h.studio.store, config: { autoResume, maxConcurrentGenerations: 1 }, instance: "restarted", redact: h.studio.redact });

describe("AUTO_RESUME on one instance", () => {
  it("resumes what the previous process left, one at a time under the cap, from its checkpoint, without a client's allowance", async () => {
    h.fake.setScenario({ document: FIXTURE, chunkSize: 500, delayMs: 5 });
    const partial = FIXTURE.slice(0, 5_001); // ends inside a surrogate pair or not: the store keeps a valid prefix
    const documents = await leftBehind(3, partial);
    const restarted = generations(true);
    await restarted.recover();
    // One runs, two wait for the slot; the waiting ones count against the cap.
    expect(h.studio.registry.activeCount).toBe(1);
    expect(await restarted.activeCount()).toBe(3);
    for (const document of documents) {
      await expect.poll(async () => (await h.studio.store.get(document.id))!.status, { timeout: 30_000 }).toBe("complete");
      expect((await h.studio.store.get(document.id))!.markdown).toBe(FIXTURE);
    }
    const requests = h.fake.requests;
    expect(requests).toHaveLength(3);
    for (let index = 1; index < requests.length; index += 1) expect(requests[index]!.startedAt).toBeGreaterThanOrEqual(requests[index - 1]!.endedAt!);
    const continued = requests.find((request) => request.isContinuation);
    expect(continued?.continuationChars).toBeGreaterThanOrEqual(5_000);
    // The client that created them (RATE_LIMIT_PER_HOUR=1) was not charged for the resumes: no start is recorded.
    expect(await h.studio.store.countStartsSince("ip:192.0.2.77", new Date(0).toISOString())).toMatchObject({ count: 0 });
  });

  it("resumes documents a graceful stop left to the restart, and not those interrupted otherwise", async () => {
    h.fake.setScenario({ document: FIXTURE, chunkSize: 2_000, delayMs: 1 });
    const [stopped, other] = await leftBehind(2, "");
    await h.studio.store.finish(stopped!, { status: "interrupted", markdown: "", error: RESUMES_AFTER_RESTART_MESSAGE, report: null, continuations: 0 });
    await h.studio.store.finish(other!, { status: "interrupted", markdown: "", error: INTERRUPTED_MESSAGE, report: null, continuations: 0 });
    await generations(true).recover();
    await expect.poll(async () => (await h.studio.store.get(stopped!.id))!.status, { timeout: 30_000 }).toBe("complete");
    expect((await h.studio.store.get(other!.id))!.status).toBe("interrupted");
  });

  it("AUTO_RESUME=0 stores them `interrupted`, to be continued by hand", async () => {
    const [document] = await leftBehind(1, "partial");
    await generations(false).recover();
    const stored = (await h.studio.store.get(document!.id))!;
    expect(stored.status).toBe("interrupted");
    expect(stored.error).toBe(INTERRUPTED_MESSAGE);
    expect(h.fake.requests).toHaveLength(0);
  });
});
