/**
 * The repair pass end to end through the real route handlers, a real SQLite file, the real type
 * checker and the fake model server's scripted repair answers (tests/support/fake-openai/repair-scenarios.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import type { DocumentEvent } from "@/lib/events/document-events";
import type { RepairScript } from "../support/fake-openai/repair-scenarios";
import { consumeDocumentStream, readDocumentEvents } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";

const h = useStudioHarness({ REPAIR: "on", MAX_ATTEMPTS: "2", IDLE_TIMEOUT_MS: "1500" });
const original = REQUEST_DEDUPLICATION;
let counter = 0;

beforeAll(async () => {
  await sharedTypecheckWorker().warm();
}, 120_000);
afterAll(async () => {
  await sharedTypecheckWorker().close();
});

/** A unique topic whose first pass is `first` and whose repairs follow `script` (default: fix from the real document). */
function scenario(first: string, script: Partial<RepairScript> = {}) {
  const topic = `Request Deduplication ${++counter} ${Date.now().toString(36)}`;
  h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original, ...script }, chunkSize: 400, delayMs: 1 });
  return topic;
}

async function finish(id: string, timeoutMs = 60_000) {
  return h.waitUntilFinished(id, timeoutMs);
}

const repairRequests = () => h.fake.requests.filter((request) => request.repair !== null);

describe("the automatic repair after the first pass", () => {
  it("repairs the unsatisfied sections live: old clients get the first pass as text and `end` with the version; the new version is stored beside the first", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts", "s10-use-instead");
    const { id } = await h.createOk(scenario(first));
    const consumed = await consumeDocumentStream((await h.stream(id)).body!);

    // An old client: the first pass, then end with the version to fetch.
    expect(consumed.text).toBe(first);
    expect(consumed.end).toEqual({ type: "end", offset: first.length, status: "complete", error: null, version: 2 });
    // A new one also saw the repair: what the model does, each section's replacement streamed, then the version with its text (and the tokens after each request).
    const kinds = new Set(consumed.events.map((event) => event.type));
    expect([...kinds].sort()).toEqual(["activity", "checks", "end", "repair", "section", "text", "tokens", "version"]);
    const version = consumed.events.find((event) => event.type === "version");
    expect(version?.type === "version" && version.markdown).toBe(original);
    expect(version?.type === "version" && version.version).toMatchObject({ version: 2, reason: "Repair round 1: sections 4, 7, 10", satisfied: 12 });
    const lastRepair = consumed.events.filter((event) => event.type === "repair").at(-1);
    expect(lastRepair?.type === "repair" && lastRepair.repair.status).toBe("finished");
    // The `end` comes after everything else.
    expect(consumed.events.at(-1)?.type).toBe("end");

    const stored = await h.getJson(id);
    expect(stored).toMatchObject({ status: "complete", version: 2, markdown: original, satisfied: 12 });
    expect(stored.repair?.firstPass?.usage.outputTokens).toBeGreaterThan(0);
    expect(stored.repair?.rounds[0]?.usage.outputTokens).toBeGreaterThan(0);
    expect(repairRequests().map((request) => request.repair?.section).sort((a, b) => a! - b!)).toEqual([4, 7, 10]);

    expect(await h.versions(id)).toEqual([
      { version: 1, createdAt: expect.any(String), reason: "First pass", satisfied: 9 },
      { version: 2, createdAt: expect.any(String), reason: "Repair round 1: sections 4, 7, 10", satisfied: 12 },
    ]);
    expect(await (await h.markdown(id)).text()).toBe(original);
    const v1 = await h.markdown(id, 1);
    expect(await v1.text()).toBe(first);
    // Named like every download (lib/documents/download-name.ts), with the version: an ASCII fallback beside the UTF-8 name.
    expect(v1.headers.get("content-disposition")).toMatch(/^attachment; filename="request-deduplication-[^"]*-v1\.md"; filename\*=UTF-8''request-deduplication-[^;]*-v1\.md$/);
    expect((await h.markdown(id, 3)).status).toBe(404);
    expect((await h.markdown(id, "x")).status).toBe(400);
  });

  it("keeps the original when a replacement is worse (rejected, with why) and accepts the next round's", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const { id } = await h.createOk(scenario(first, { actions: { "7": ["worse", "fix"] } }));
    const stored = await finish(id);
    expect(stored).toMatchObject({ status: "complete", version: 2, markdown: original });
    const rounds = stored.repair!.rounds;
    expect(rounds.map((round) => [round.round, round.sections[0]?.state, round.version])).toEqual([
      [1, "rejected", null],
      [2, "accepted", 2],
    ]);
    expect(rounds[0]?.sections[0]?.reason).toMatch(/^It would lose what the section met: Race conditions named/);
    expect((await h.versions(id)).map((version) => version.reason)).toEqual(["First pass", "Repair round 2: section 7"]);
  });

  it("refuses a reply that writes another section, cuts a chatty one down to its section", async () => {
    const first = draft(original, "s7-deadlocks-timeouts", "s10-use-instead");
    const { id } = await h.createOk(scenario(first, { actions: { "7": ["other-headings"], "10": ["chatter"] } }));
    const stored = await finish(id);
    const [round1] = stored.repair!.rounds;
    expect(round1?.sections.map((section) => [section.number, section.state])).toEqual([
      [7, "rejected"],
      [10, "accepted"],
    ]);
    expect(round1?.sections[0]?.reason).toBe("The reply also writes section 8; only section 7 was asked for.");
    expect(stored.markdown).not.toContain("Let me know");
    expect(stored.markdown).not.toContain("```markdown");
    expect(stored.sections?.find((section) => section.number === 10)?.state).toBe("satisfied");
  });

  it("a repair request that fails (HTTP 500 on every attempt, or a stall) keeps the original and says why; the document is complete", async () => {
    const first = draft(original, "s7-deadlocks-timeouts", "s8-p50-p99");
    const started = Date.now();
    const { id } = await h.createOk(scenario(first, { actions: { "7": ["http-500"], "8": ["stall"] }, stallAtChar: 200 }));
    const stored = await finish(id);
    expect(stored).toMatchObject({ status: "complete", version: 1, markdown: first, error: null });
    for (const round of stored.repair!.rounds) {
      expect(round.sections.map((section) => section.state)).toEqual(["failed", "failed"]);
      expect(round.sections[0]?.reason, round.sections[0]?.reason ?? "").toMatch(/HTTP 500.*\(after 2 attempts\)\. The original is kept\./);
      expect(round.sections[1]?.reason).toMatch(/stopped sending text for 1\.5 s \(IDLE_TIMEOUT_MS\)/);
    }
    // Backoff and retries hold for repair requests: 2 attempts per round for section 7.
    expect(repairRequests().filter((request) => request.repair?.section === 7)).toHaveLength(4);
    // Each stall was cut by the idle timeout, not sooner: two rounds of at least 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    // The stalled requests were closed by the app, not left open.
    await h.fake.waitFor((requests) => requests.filter((request) => request.repair?.section === 8).every((request) => request.closedByClient), 3_000);
  });
});

describe("while a document is repairing", () => {
  const slowStart = async (first: string) => {
    const topic = scenario(first, { chunkSize: 24, delayMs: 20 });
    const { id } = await h.createOk(topic);
    await h.fake.waitFor((requests) => requests.filter((request) => request.repair && request.servedChars > 200).length >= 2, 30_000);
    return { id, topic };
  };

  it("is `repairing`: Continue answers 409, an identical create joins it, Cancel aborts every open repair request", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts");
    const { id, topic } = await slowStart(first);
    expect((await h.getJson(id)).status).toBe("repairing");
    const continued = await h.action(id, "continue");
    expect(continued.status).toBe(409);
    expect(((await continued.json()) as { error: { message: string } }).error.message).toMatch(/already being repaired/);
    const again = await h.create({ topic });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, coalesced: true, status: "repairing" });

    const cancelled = await h.action(id, "cancel");
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: "cancelled", version: 1, markdown: first });
    await h.fake.waitFor((requests) => requests.filter((request) => request.repair).every((request) => request.endedAt !== null), 5_000);
    expect(repairRequests().every((request) => request.closedByClient)).toBe(true);
    const stored = await h.getJson(id);
    expect(stored.repair?.status).toBe("stopped");
    expect(stored.error).toMatch(/Continue resumes the repair/);

    // Continue resumes the repair, not the first pass: each request continues the text it had.
    h.fake.clearRequests();
    h.fake.setScenario({ repair: { source: original } });
    const resumed = await h.action(id, "continue");
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toMatchObject({ status: "repairing" });
    const done = await finish(id);
    expect(done).toMatchObject({ status: "complete", version: 2, markdown: original });
    expect(h.fake.requests.every((request) => request.repair !== null)).toBe(true);
    expect(h.fake.requests.every((request) => request.isContinuation && !request.prefixMismatch)).toBe(true);
  });

  it("a reader attaching mid-repair gets exactly the state: the first pass, the repair, each replacement so far from 0, then the rest live", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts");
    const { id } = await slowStart(first);
    const job = h.studio.registry.get(id)!;
    const snapshot = new Map(job.repairDrafts.map((draftText) => [draftText.number, draftText.text]));
    const events: DocumentEvent[] = [];
    const sections = new Map<number, string>();
    let text = "";
    for await (const event of readDocumentEvents((await h.stream(id, `?from=${first.length - 10}`)).body!)) {
      events.push(event);
      if (event.type === "text") text += event.delta;
      if (event.type === "section") {
        const have = sections.get(event.number) ?? "";
        expect(event.from).toBe(have.length); // no gap, no overlap
        sections.set(event.number, have + event.delta);
      }
    }
    expect(text).toBe(first.slice(-10));
    const firstSections = events.filter((event) => event.type === "section").slice(0, 2);
    expect(firstSections.map((event) => event.type === "section" && [event.number, event.from])).toEqual([
      [4, 0],
      [7, 0],
    ]);
    for (const [number, start] of snapshot) expect(sections.get(number)?.startsWith(start)).toBe(true);
    expect(events.findIndex((event) => event.type === "repair")).toBeLessThan(events.findIndex((event) => event.type === "section"));
    expect(events.at(-1)).toMatchObject({ type: "end", status: "complete", version: 2 });

    // After the end, a reader from the start gets the first pass, the version, and the end.
    const replay = await consumeDocumentStream((await h.stream(id)).body!);
    expect(replay.text).toBe(first);
    const version = replay.events.find((event) => event.type === "version");
    expect(version?.type === "version" && version.markdown).toBe(original);
    expect(replay.end).toMatchObject({ status: "complete", version: 2, offset: first.length });
  });

  it("a shutdown mid-repair leaves it `interrupted`, and Continue resumes the repair", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const { id } = await h.createOk(scenario(first, { chunkSize: 16, delayMs: 20 }));
    await h.fake.waitFor((requests) => requests.some((request) => request.repair && request.servedChars > 100), 30_000);
    await h.studio.registry.interruptAll("The server stopped.");
    const stopped = await h.getJson(id);
    expect(stopped).toMatchObject({ status: "interrupted", version: 1, markdown: first, error: "The server stopped." });
    expect(stopped.repair?.rounds[0]?.sections[0]?.state).toBe("stopped");
    h.fake.setScenario({ repair: { source: original } });
    expect((await h.action(id, "continue")).status).toBe(202);
    expect(await finish(id)).toMatchObject({ status: "complete", version: 2, markdown: original });
  });
});

describe("versions", () => {
  it("Retry and Regenerate start a new version and never destroy the earlier ones", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const topic = scenario(first);
    const { id } = await h.createOk(topic);
    await finish(id);
    h.fake.setScenario({ documentsByTopic: { [topic]: original } });
    const retried = await h.action(id, "retry");
    expect(retried.status).toBe(202);
    const body = await retried.json();
    expect(body, JSON.stringify(body).slice(0, 300)).toMatchObject({ status: "generating", version: 3, markdown: "" });
    // While it generates, the earlier versions are there for anyone holding the link.
    expect(await (await h.markdown(id, 2)).text()).toBe(original);
    expect(await (await h.markdown(id, 1)).text()).toBe(first);
    const done = await finish(id);
    expect(done).toMatchObject({ status: "complete", version: 3, markdown: original });
    expect((await h.versions(id)).map((version) => [version.version, version.reason])).toEqual([
      [1, "First pass"],
      [2, "Repair round 1: section 7"],
      [3, "Generated again from the start (Regenerate: version 2 was complete)"],
    ]);
  });

  it("says why a version was generated again: a Retry after the version before it failed", async () => {
    const topic = `Retry After A Filter ${++counter} ${Date.now().toString(36)}`;
    h.fake.setScenario({ documentsByTopic: { [topic]: original }, contentFilterAtChar: 500, chunkSize: 400, delayMs: 1 });
    const { id } = await h.createOk(topic);
    expect(await finish(id)).toMatchObject({ status: "failed", version: 1 });
    expect((await h.action(id, "retry")).status).toBe(202);
    expect(await finish(id)).toMatchObject({ status: "complete", version: 2, markdown: original });
    expect((await h.versions(id)).map((version) => [version.version, version.reason])).toEqual([
      [1, "First pass"],
      [2, "Generated again from the start (Retry: version 1 had failed)"],
    ]);
  });
});
