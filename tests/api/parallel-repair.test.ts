/**
 * The repair pass after a parallel first pass (issue #9 on top of issue #11): the outline and the
 * sections are written in parallel from a deficient draft, then the assembled document's unmet
 * section is repaired live, as after a single-stream pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import { messageText, type RecordedRequest } from "../support/fake-openai/server";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";

const h = useStudioHarness({ GENERATION_MODE: "parallel", SECTION_CONCURRENCY: "4", REPAIR: "on", MAX_ATTEMPTS: "2" });
const original = REQUEST_DEDUPLICATION;

beforeAll(async () => {
  await sharedTypecheckWorker().warm();
}, 120_000);
afterAll(async () => {
  await sharedTypecheckWorker().close();
});

/** What the fake model reports a finished request used: 4 characters a token, prompt and answer. */
const reported = (request: RecordedRequest) =>
  Math.ceil((request.body?.messages ?? []).reduce((sum, message) => sum + messageText(message).length, 0) / 4) + Math.ceil(request.servedChars / 4);

interface Json {
  status: string;
  tokensUsed: number;
  inputTokens: number;
  outputTokens: number;
  mode: string;
  markdown: string;
  version: number;
  passVersion: number;
  satisfied: number | null;
  parts: { section: number; state: string }[] | null;
  repair: { trigger: string; status: string; rounds: { sections: { number: number; state: string }[] }[] } | null;
}

describe("the repair pass after a parallel first pass", () => {
  it("repairs the assembled document live: parts first, then the section's replacement and the new version; the parts stay the first pass's", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    expect(first).not.toBe(original);
    const topic = `Request Deduplication parallel ${Date.now().toString(36)}`;
    h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original }, chunkSize: 400, delayMs: 1 });
    const { id } = await h.createOk(topic);
    const consumed = await consumeDocumentStream((await h.stream(id)).body!);

    // Readers that know only `text` and `end` get the assembled first pass, then the version to fetch.
    expect(consumed.text).toBe(first);
    expect(consumed.end).toMatchObject({ status: "complete", version: 2 });
    const kinds = new Set(consumed.events.map((event) => event.type));
    for (const kind of ["outline", "section-text", "section-state", "repair", "section", "version"]) expect(kinds).toContain(kind);
    // The parts' events all come before the repair's: the repair starts once the pass is assembled.
    const lastPart = consumed.events.findLastIndex((event) => event.type === "section-text");
    const firstRepair = consumed.events.findIndex((event) => event.type === "repair");
    expect(lastPart).toBeLessThan(firstRepair);
    const version = consumed.events.find((event) => event.type === "version");
    expect(version?.type === "version" && version.markdown).toBe(original);

    const stored = (await (await h.get(id)).json()) as Json;
    expect(stored).toMatchObject({ status: "complete", mode: "parallel", version: 2, markdown: original, satisfied: 12 });
    expect(stored.repair).toMatchObject({ trigger: "auto", status: "finished" });
    expect(stored.repair?.rounds[0]?.sections.map((section) => [section.number, section.state])).toEqual([[7, "accepted"]]);
    expect(stored.parts?.every((part) => part.state === "complete")).toBe(true);
    expect((await h.versions(id)).map((entry) => [entry.version, entry.reason])).toEqual([
      [1, "First pass"],
      [2, "Repair round 1: section 7"],
    ]);
    // One outline request, one per part, then the one repair request of section 7.
    expect(h.fake.requests.filter((request) => request.repair).map((request) => request.repair?.section)).toEqual([7]);
    expect(h.fake.requests.findIndex((request) => request.repair)).toBe(h.fake.requests.length - 1);
    // Every request counts toward the spend limits through the one usage path: the outline, the parts and the repair.
    const spent = h.fake.requests.reduce((sum, request) => sum + reported(request), 0);
    expect(h.fake.requests.every((request) => request.outcome === "stop")).toBe(true);
    expect(stored.tokensUsed).toBe(spent);
    expect(stored.inputTokens + stored.outputTokens).toBe(spent);
    expect(reported(h.fake.requests.at(-1)!)).toBeGreaterThan(0);
  });

  it("a section's retry of a repaired parallel document is a new version: the repaired one is kept, and the repair runs again after it", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const topic = `Request Deduplication parallel retry ${Date.now().toString(36)}`;
    h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original }, chunkSize: 400, delayMs: 1 });
    const { id } = await h.createOk(topic);
    expect(await h.waitUntilFinished(id, 60_000)).toMatchObject({ status: "complete", version: 2 });

    const retried = await h.sectionRetry(id, 7);
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ status: "generating", version: 3, passVersion: 3 });
    const done = (await h.waitUntilFinished(id, 60_000)) as unknown as Json;
    expect(done).toMatchObject({ status: "complete", version: 4, markdown: original, satisfied: 12 });
    const versions = await h.versions(id);
    expect(versions.map((entry) => entry.version)).toEqual([1, 2, 3, 4]);
    expect(versions[2]?.reason).toBe("Section 7 written again (its Retry; the other sections kept from version 2)");
    // The first pass and the first repair are untouched; the retried pass (section 7 written again from the draft) is version 3.
    expect(await (await h.markdown(id, 1)).text()).toBe(first);
    expect(await (await h.markdown(id, 2)).text()).toBe(original);
  });
});
