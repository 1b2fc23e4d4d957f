/**
 * Issue 12's truth rules in parallel mode: every part's request (the outline's and each
 * section's) ends `complete` only when the model said `stop`; any other ending fails that part
 * with the provider's reason, keeps its text and the other parts, and the automatic recoveries
 * name the part in the document's history. Reasoning never enters a part, and the document is
 * `thinking` while its parts reason.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDocumentEvents } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness({ SECTION_CONCURRENCY: "4" });

const FIXTURE = readFileSync("lib/examples/library/circuit-breaker.md", "utf8");
const FAST = { document: FIXTURE, chunkSize: 300, delayMs: 2 };

interface ParallelJson {
  status: string;
  markdown: string;
  error: string | null;
  history: { at: string; kind: string; message: string }[];
  parts: { section: number; part: number; state: string; error: string | null; length: number }[] | null;
}

const finish = async (id: string) => {
  await h.waitUntilFinished(id, 60_000);
  return (await (await h.get(id)).json()) as ParallelJson;
};
const partState = (document: ParallelJson, section: number) => document.parts!.filter((part) => part.section === section).map((part) => part.state);

describe("parallel mode tells the truth about every part", () => {
  it("fails a section the content filter stopped, with the provider's reason, keeps the other parts, and Continue completes it", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "4", contentFilterAtChar: 500 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const failed = await finish(id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^Section 4 failed \(section 4: The model provider's content filter stopped the answer \(finish reason "content_filter"\)/);
    expect(partState(failed, 4)).toEqual(["failed"]);
    expect(failed.parts!.filter((part) => part.section !== 4).every((part) => part.state === "complete")).toBe(true);
    const section4 = FIXTURE.indexOf("## 4. ");
    expect(failed.markdown).toBe(`${FIXTURE.slice(0, section4 + 500)}\n\n${FIXTURE.slice(FIXTURE.indexOf("## 5. "))}`);

    h.fake.clearRequests();
    expect((await h.action(id, "continue")).status).toBe(202);
    const done = await finish(id);
    expect(done).toMatchObject({ status: "complete", markdown: FIXTURE, error: null });
    expect(h.fake.requests.map((request) => [request.planned, request.continuationChars])).toEqual([["4", 500]]);
  });

  it("continues a section whose stream ended without a finish reason once, and the history names the section", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "6", unfinishedAtChar: 400 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const done = await finish(id);
    expect(done).toMatchObject({ status: "complete", markdown: FIXTURE });
    expect(done.history).toEqual([
      { at: expect.any(String), kind: "continued_after_unfinished_stream", message: expect.stringMatching(/^Section 6: The model's stream ended after 400 characters without a finish reason/) },
    ]);
    expect(h.fake.requests.filter((request) => request.planned === "6").map((request) => request.outcome)).toEqual(["unfinished", "stop"]);
  });

  it("fails a section whose streams keep ending without a finish reason, never `complete` with a cut section", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "8", unfinishedAtChar: 300, faultOnce: false });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const failed = await finish(id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^Section 8 failed \(section 8: The model's stream ended without a finish reason, again after an automatic continuation/);
    expect(partState(failed, 8)).toEqual(["failed"]);
  });

  it("fails the outline on an error event with the provider's own words", async () => {
    h.fake.setScenario({ ...FAST, faultTarget: "outline", errorEventAtChar: 40 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const failed = await finish(id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^The outline could not be written: .*Provider disconnected unexpectedly/);
    expect(failed.error).not.toMatch(/object Object/);
    expect(h.fake.requests.map((request) => request.planned)).toEqual(["outline"]);
  });

  it("keeps reasoning out of every part, and the document is `thinking` while its parts reason", async () => {
    h.fake.setScenario({ ...FAST, reasoningChars: 600, reasoningDelayMs: 100 });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    const activities: string[] = [];
    for await (const event of readDocumentEvents((await h.stream(id)).body!)) {
      if (event.type === "activity" && activities.at(-1) !== event.activity) activities.push(event.activity);
    }
    expect(activities.slice(0, 3)).toEqual(["waiting", "thinking", "writing"]);
    expect(await finish(id)).toMatchObject({ status: "complete", markdown: FIXTURE });
  });

  it("removes leading <think> blocks from the outline's answer and every section", async () => {
    h.fake.setScenario({ ...FAST, reasoningChars: 200, reasoningStyle: "think_tags" });
    const { id } = await h.createOk("Circuit Breaker", { mode: "parallel" });
    expect(await finish(id)).toMatchObject({ status: "complete", markdown: FIXTURE });
  });
});
