/**
 * Issue #12's truth rules in the repair pass (issue #9): a section's repair request goes through
 * runModelStream like every request (retries told in the history naming the section and round,
 * provider words redacted, reasoning kept out of the text), and storage failures during a repair
 * are states — a version or repair checkpoints that cannot be stored stop the job `failed` with a
 * storage message, the document stays at the last version stored, and Continue resumes the repair.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import type { RepairScript } from "../support/fake-openai/repair-scenarios";
import type { Scenario } from "../support/fake-openai/server";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";

const API_KEY = "sk-test-RepairSecret0123456789abcdef";
const h = useStudioHarness({ REPAIR: "on", MAX_ATTEMPTS: "2", RETRY_BASE_DELAY_MS: "50", IDLE_TIMEOUT_MS: "1500", CHECKPOINT_INTERVAL_MS: "100", OPENAI_API_KEY: API_KEY });
const original = REQUEST_DEDUPLICATION;
const diskFull = () => new Error("SqliteError: database or disk is full");
let counter = 0;

beforeAll(async () => {
  await sharedTypecheckWorker().warm();
}, 120_000);
afterAll(async () => {
  await sharedTypecheckWorker().close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A unique topic whose first pass is `first` and whose repairs follow `script` (default: fix from the real document). */
function scenario(first: string, script: Partial<RepairScript> = {}, extra: Partial<Scenario> = {}) {
  const topic = `Request Deduplication Truth ${++counter} ${Date.now().toString(36)}`;
  h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original, ...script }, chunkSize: 400, delayMs: 1, ...extra });
  return topic;
}

describe("the repair pass under issue 12's rules", () => {
  it("retries a repair request that failed before its first token, says so in the history naming the section and round, with the provider's words redacted", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const { id } = await h.createOk(scenario(first, { actions: { "7": ["http-500", "fix"] } }, { failMessage: "Incorrect API key provided: {authorization}." }));
    const done = await h.waitUntilFinished(id, 60_000);
    expect(done).toMatchObject({ status: "complete", version: 2, markdown: original });
    // The fake really did fail the first attempt, quoting the key.
    expect(h.fake.requests.filter((request) => request.repair?.section === 7).map((request) => request.repair?.action)).toEqual(["http-500", "fix"]);
    const retried = done.history.filter((entry) => entry.kind === "retried");
    expect(retried).toHaveLength(1);
    expect(retried[0]!.message).toMatch(/^The repair of section 7 \(round 1\): Attempt 1 failed before any text: .*Incorrect API key provided: Bearer \[redacted\]/);
    expect(JSON.stringify(done)).not.toContain(API_KEY);
    const [row] = await h.database.query<{ history: string }>(`select history from documents where id = '${id}'`);
    expect(row!.history).toContain("The repair of section 7 (round 1)");
    expect(row!.history).not.toContain(API_KEY);
  });

  it("keeps a repair answer's <think> block out of the replacement and the document", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const { id } = await h.createOk(scenario(first, {}, { reasoningStyle: "think_tags", reasoningChars: 300, chunkSize: 64 }));
    const live = await consumeDocumentStream((await h.stream(id)).body!);
    expect(live.end).toMatchObject({ status: "complete", version: 2 });
    const sections = live.events.filter((event) => event.type === "section");
    expect(sections.length).toBeGreaterThan(0);
    expect(JSON.stringify(sections)).not.toMatch(/<\/?think>|Let me plan the document/);
    const done = await h.getJson(id);
    expect(done.markdown).toBe(original);
  });

  it("stops the repair `failed` with a storage message when its version cannot be stored; the document stays at the version stored and Continue resumes the repair", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const acceptVersion = vi.spyOn(h.studio.store, "acceptVersion").mockRejectedValue(diskFull());
    const { id } = await h.createOk(scenario(first));
    const live = await consumeDocumentStream((await h.stream(id)).body!);
    expect(live.end?.status).toBe("failed");
    expect(live.end?.error).toMatch(/^The repair was stopped: version 2 could not be saved; storage failed \(SqliteError: database or disk is full\)\./);
    expect(live.end).toMatchObject({ version: 1 });
    expect(acceptVersion.mock.calls.length).toBe(3); // tried three times before it counted as failed
    const stored = (await h.studio.store.get(id))!;
    expect(stored).toMatchObject({ status: "failed", version: 1, markdown: first });
    expect(stored.repair?.status).toBe("stopped");

    acceptVersion.mockRestore();
    expect((await h.action(id, "continue")).status).toBe(202);
    expect(await h.waitUntilFinished(id, 60_000)).toMatchObject({ status: "complete", version: 2, markdown: original, error: null });
  });

  it("stops the repair after CHECKPOINT_FAILURES_BEFORE_STOP repair checkpoints in a row fail, keeping what was stored", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const checkpointRepair = vi.spyOn(h.studio.store, "checkpointRepair").mockRejectedValue(diskFull());
    // A slow replacement: the repair outlives several checkpoint intervals.
    const { id } = await h.createOk(scenario(first, { chunkSize: 8, delayMs: 60 }));
    const live = await consumeDocumentStream((await h.stream(id)).body!);
    expect(live.end?.status).toBe("failed");
    expect(live.end?.error).toMatch(/^The generation was stopped: 3 checkpoints in a row could not be saved; storage failed \(SqliteError: database or disk is full\)/);
    expect(checkpointRepair.mock.calls.length).toBe(3);
    // The repair request was aborted with the job.
    await h.fake.waitFor((requests) => requests.find((request) => request.repair?.section === 7)?.closedByClient === true, 2_000);
    const stored = (await h.studio.store.get(id))!;
    expect(stored).toMatchObject({ status: "failed", version: 1, markdown: first });
    expect(stored.repair?.status).toBe("stopped");

    checkpointRepair.mockRestore();
    h.fake.setScenario({ repair: { source: original } });
    expect((await h.action(id, "continue")).status).toBe(202);
    expect(await h.waitUntilFinished(id, 60_000)).toMatchObject({ status: "complete", version: 2, markdown: original });
  });
});
