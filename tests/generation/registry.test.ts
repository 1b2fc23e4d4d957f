import { randomUUID } from "node:crypto";
import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import type { RequestTokens } from "@/lib/documents/token-budget";
import { createDemoModel } from "@/lib/generation/demo-model";
import type { JobEvent } from "@/lib/generation/job";
import { CHECKPOINT_FAILURES_BEFORE_STOP, GenerationRegistry } from "@/lib/generation/registry";
import { getMasterPrompt } from "@/lib/prompts/master-prompt";
import { DocumentStore } from "@/lib/store/document-store";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import { passVersionReason } from "@/lib/documents/versions";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";
import { answeringModel } from "../support/answering-model";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { stubTypecheck } from "../support/typecheck-stub";

/** The configured API key: not shaped like a key, so only the registry's own redaction can hide it. */
const CONFIGURED_KEY = "registry-key-7f3a9c";
const INTERNAL_ERROR = "The generation stopped because of an internal error; the text so far is kept.";

const databases: TestDatabase[] = [];
const stores: DocumentStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await Promise.all(databases.map((database) => database.drop()));
});

type StoreMethod = "checkpoint" | "finish" | "saveVersion" | "beginRepair" | "acceptVersion";

/** Which calls of a store method fail: its first `n`, or the calls numbered in the list (from 1). */
type Failures = Partial<Record<StoreMethod, number | number[]>>;

const fails = (rule: number | number[] | undefined, call: number) => (Array.isArray(rule) ? rule.includes(call) : call <= (rule ?? 0));

/** The store, whose `method` throws (an error naming the configured key, over several lines) for the calls `failures` names. */
function refusing(store: DocumentStore, failures: Failures) {
  const calls: Record<string, number> = {};
  const times: Record<string, number[]> = {};
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls[key] = (calls[key] ?? 0) + 1;
        (times[key] ??= []).push(Date.now());
        if (fails(failures[key as StoreMethod], calls[key])) {
          return Promise.reject(new Error(`disk I/O error\n  writing with key ${CONFIGURED_KEY} ${"x".repeat(300)}`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls, times };
}

interface Setup {
  /** What the demo model streams as the first pass (default: a 12/12 library document). */
  first?: string;
  seconds?: number;
  env?: Record<string, string>;
  failures?: Failures;
  recordUsage?(documentId: string, usage: RequestTokens): Promise<string | null>;
  brokenModel?: boolean;
  /** A model of the test's own instead of the demo model. */
  model?: LanguageModelV3;
}

async function setup(options: Setup = {}) {
  const database = await createTestDatabase();
  databases.push(database);
  const realStore = await DocumentStore.open(database.url);
  stores.push(realStore);
  const { store, calls, times } = refusing(realStore, options.failures ?? {});
  const config = parseConfig({ OPENAI_API_KEY: CONFIGURED_KEY, CHECKPOINT_INTERVAL_MS: "50", REPAIR: "off", MAX_REPAIR_ROUNDS: "2", ...options.env });
  const first = options.first ?? REQUEST_DEDUPLICATION;
  /** The texts the registry's own type check was asked for (the first pass's check runs the compiler directly). */
  const typechecked: string[] = [];
  const registry = new GenerationRegistry({
    store,
    config,
    prompts: { seed: getMasterPrompt("seed"), contract: getMasterPrompt("contract") },
    resolveModel: () => {
      if (options.brokenModel) throw new Error("no such model");
      if (options.model) return options.model;
      return createDemoModel({ document: first, repairSource: REQUEST_DEDUPLICATION, durationSeconds: options.seconds ?? 0.2 });
    },
    typecheck: (markdown) => (typechecked.push(markdown), stubTypecheck(markdown)),
    recordUsage: options.recordUsage,
  });
  const document = await realStore.create({
    id: randomUUID(),
    topic: "Request Deduplication",
    topicKey: "request deduplication",
    model: "fake-model",
    promptStyle: "contract",
    promptVersion: "v-test",
    clientKey: null,
    editTokenHash: null,
    ownerScope: null,
  });
  /** Starts the job; `stored` is the document as storage had it when readers heard `end`. */
  const run = () => {
    const job = registry.start(document);
    const events: JobEvent[] = [];
    let storedAtEnd: ReturnType<DocumentStore["get"]> | null = null;
    job.subscribe((event) => {
      events.push(event);
      if (event.type === "end") storedAtEnd = realStore.get(document.id);
    });
    const ended = job.done.then(async () => ({ end: events.find((event) => event.type === "end"), stored: await storedAtEnd }));
    return { job, events, ended };
  };
  return { registry, store: realStore, calls, times, document, run, first, typechecked };
}

const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe("GenerationRegistry: a first pass", () => {
  it("is stored complete, with its version and report, before its readers hear `end`", async () => {
    const { registry, store, document, run } = await setup();
    const { job, ended } = run();
    expect(registry.get(document.id)).toBe(job);
    expect(registry.activeCount).toBe(1);
    const { end, stored } = await ended;
    expect(end).toMatchObject({ type: "end", status: "complete", error: null, version: 1 });
    expect(stored).toMatchObject({ status: "complete", markdown: REQUEST_DEDUPLICATION, error: null, version: 1 });
    expect(stored?.report?.satisfied).toBe(12);
    expect((await store.listVersions(document.id)).map((version) => [version.version, version.satisfied])).toEqual([[1, 12]]);
    expect(registry.get(document.id)).toBeUndefined();
    expect(registry.activeCount).toBe(0);
    expect(job.tokens.outputTokens).toBeGreaterThan(0);
  });

  it("checkpoints the text and the history while it runs, and stores the history at the end", async () => {
    const { registry, store, document, run } = await setup({ seconds: 20 });
    const { job, ended } = run();
    job.note("retried", "The model provider failed; retried.");
    await waitFor(async () => {
      const stored = await store.get(document.id);
      return Boolean(stored && stored.markdown.length > 0 && stored.history.length > 0);
    });
    const during = await store.get(document.id);
    expect(during?.status).toBe("generating");
    expect(REQUEST_DEDUPLICATION.startsWith(during?.markdown ?? "-")).toBe(true);
    expect(during?.history.map((entry) => entry.message)).toEqual(["The model provider failed; retried."]);
    await registry.cancel(document.id);
    const { stored } = await ended;
    expect(stored?.status).toBe("cancelled");
    expect(stored?.history.map((entry) => entry.kind)).toEqual(["retried"]);
  });

  it("refuses a second start of a document it is running", async () => {
    const { registry, document, run } = await setup({ seconds: 2 });
    const { ended } = run();
    expect(() => registry.start(document)).toThrow(`document ${document.id} is already generating`);
    await registry.cancel(document.id);
    await ended;
  });

  it("stops on Cancel, keeps the text so far, and says the user stopped it", async () => {
    const { registry, document, run, first } = await setup({ seconds: 3 });
    const { job, ended } = run();
    await waitFor(() => job.text.length > 100);
    expect(await registry.cancel("no-such-document")).toBe(false);
    expect(await registry.cancel(document.id)).toBe(true);
    const { end, stored } = await ended;
    expect(end).toMatchObject({ status: "cancelled", error: "Stopped by the user." });
    expect(stored?.status).toBe("cancelled");
    expect(stored?.markdown.length).toBeGreaterThan(100);
    expect(stored?.markdown.length).toBeLessThan(first.length);
    expect(first.startsWith(stored?.markdown ?? "-")).toBe(true);
  });

  it("is stored `interrupted` with the shutdown's message on a graceful shutdown, before the shutdown returns", async () => {
    const { registry, store, document, run } = await setup({ seconds: 3 });
    const { job, ended } = run();
    await waitFor(() => job.text.length > 0);
    await registry.interruptAll("The server restarted.");
    expect((await store.get(document.id))?.status).toBe("interrupted");
    const { end, stored } = await ended;
    expect(end).toMatchObject({ status: "interrupted", error: "The server restarted." });
    expect(stored).toMatchObject({ status: "interrupted", error: "The server restarted." });
    expect(registry.get(document.id)).toBeUndefined();
  });

  it("fails with the internal-error message when its model cannot even be made", async () => {
    const { store, document, run } = await setup({ brokenModel: true });
    const { end, stored } = await run().ended;
    expect(end).toMatchObject({ status: "failed", error: INTERNAL_ERROR });
    expect(stored).toMatchObject({ status: "failed", error: INTERNAL_ERROR, markdown: "" });
    // No text, no version.
    expect(await store.listVersions(document.id)).toEqual([]);
  });
});

describe("GenerationRegistry: the automatic repair", () => {
  const deficient = draft(REQUEST_DEDUPLICATION, "s4-control-flow-contrast", "s10-use-instead");

  it("repairs a complete first pass's unsatisfied sections into version 2", async () => {
    const { store, document, run } = await setup({ first: deficient, env: { REPAIR: "on" } });
    const { end, stored } = await run().ended;
    expect(end).toMatchObject({ status: "complete", error: null, version: 2 });
    expect(stored).toMatchObject({ status: "complete", version: 2, markdown: REQUEST_DEDUPLICATION });
    expect(stored?.repair?.status).toBe("finished");
    // The record keeps what the first pass cost.
    expect(stored?.repair?.firstPass?.usage.outputTokens).toBeGreaterThan(0);
    expect(stored?.repair?.firstPass?.ms).toBeGreaterThanOrEqual(0);
    expect(stored?.repair?.firstPass?.ms).toBeLessThan(60_000);
    const versions = await store.listVersions(document.id);
    expect(versions.map((version) => [version.version, version.satisfied])).toEqual([
      [1, 10],
      [2, 12],
    ]);
    expect(versions[0]?.reason).toBe(passVersionReason({ passVersion: 1, passReason: null }));
  });

  it("checkpoints a repair's record and its drafts while it runs", async () => {
    const options: Setup = { first: deficient };
    const { registry, store, document, run } = await setup(options);
    await run().ended;
    const stored = (await store.get(document.id))!;
    const record = newRepairRecord({ trigger: "manual", target: null, maxRounds: 1, fromVersion: 1, firstPass: null });
    const fence = await store.restart(stored, {
      repair: { markdown: stored.markdown, report: stored.report, version: 1, passVersion: 1, repair: record, continuations: 0, drafts: [] },
    });
    // The repair's answers stream slowly: a section takes seconds.
    options.seconds = 40;
    const job = registry.start({ ...stored, fence: fence!, status: "repairing", repair: record, repairDrafts: [] }, { kind: "repair", record, drafts: [] });
    await waitFor(async () => ((await store.get(document.id))?.repairDrafts.some((entry) => entry.text.length > 0) ?? false));
    const during = await store.get(document.id);
    expect(during?.status).toBe("repairing");
    expect(during?.repair?.rounds[0]?.sections.some((section) => section.state === "streaming")).toBe(true);
    await registry.cancel(document.id);
    expect(job.result).toEqual({ status: "cancelled", error: "Stopped by the user while sections were being repaired; Continue resumes the repair." });
    const after = await store.get(document.id);
    expect(after).toMatchObject({ status: "cancelled", version: 1, markdown: deficient });
    expect(after?.repair?.status).toBe("stopped");
    expect(after?.repairDrafts.length).toBeGreaterThan(0);
  });

  it.each([
    ["reuses the stored type check of the text it repairs", 0],
    ["type-checks the text again when the stored check is of another text", 1],
  ])("runs a repair job on a stored version (a manual repair) and %s", async (_, offset) => {
    const { registry, store, document, typechecked, run } = await setup({ first: deficient });
    await run().ended;
    const stored = (await store.get(document.id))!;
    expect(stored.report?.typecheck?.checkedLength).toBe(deficient.length);
    const record = newRepairRecord({ trigger: "manual", target: null, maxRounds: 1, fromVersion: 1, firstPass: null });
    const fence = await store.restart(stored, {
      repair: { markdown: stored.markdown, report: stored.report, version: 1, passVersion: 1, repair: record, continuations: 0, drafts: [] },
    });
    const report = { ...stored.report!, typecheck: { ...stored.report!.typecheck!, checkedLength: deficient.length + offset } };
    const job = registry.start({ ...stored, fence: fence!, status: "repairing", report, repair: record, repairDrafts: [] }, { kind: "repair", record, drafts: [] });
    await job.done;
    expect(job.result).toEqual({ status: "complete", error: null });
    expect(await store.get(document.id)).toMatchObject({ status: "complete", version: 2, markdown: REQUEST_DEDUPLICATION });
    // One check of the round's result, plus one of the base when the stored one does not fit.
    expect(typechecked).toHaveLength(1 + offset);
  });

  it.each([
    ["REPAIR is off", { REPAIR: "off" }],
    ["MAX_REPAIR_ROUNDS is 0", { REPAIR: "on", MAX_REPAIR_ROUNDS: "0" }],
  ])("does not run when %s", async (_, env) => {
    const { store, document, run } = await setup({ first: deficient, env });
    const { stored } = await run().ended;
    expect(stored).toMatchObject({ status: "complete", version: 1, markdown: deficient, repair: null });
    expect((await store.listVersions(document.id)).map((version) => version.version)).toEqual([1]);
  });

  it("fails a first pass that a spend limit stops before its continuation, with the limit's words", async () => {
    const { model, prompts } = answeringModel([{ text: "# Request Deduplication\n\nCut here", finish: "length" }]);
    const { run } = await setup({ model, recordUsage: async () => "The document's token limit (MAX_TOKENS_PER_DOCUMENT) is reached." });
    const { end, stored } = await run().ended;
    expect(prompts).toHaveLength(1);
    expect(end).toMatchObject({ status: "failed", error: "The document's token limit (MAX_TOKENS_PER_DOCUMENT) is reached." });
    expect(stored).toMatchObject({ status: "failed", markdown: "# Request Deduplication\n\nCut here" });
  });

  it("does not start once the first pass reached a spend limit; the finished pass still completes", async () => {
    const reasons: RequestTokens[] = [];
    const { run } = await setup({
      first: deficient,
      env: { REPAIR: "on" },
      recordUsage: async (_, usage) => (reasons.push(usage), "The daily token budget is spent."),
    });
    const { job, ended } = run();
    const { stored } = await ended;
    expect(reasons).toHaveLength(1);
    expect(job.limitReached).toBe("The daily token budget is spent.");
    expect(stored).toMatchObject({ status: "complete", version: 1, repair: null, error: null });
  });

  it("goes on when recording the usage fails (a ledger error is not a spend limit)", async () => {
    const { run } = await setup({ first: deficient, env: { REPAIR: "on" }, recordUsage: () => Promise.reject(new Error("ledger down")) });
    const { stored } = await run().ended;
    expect(stored).toMatchObject({ status: "complete", version: 2 });
  });
});

describe("GenerationRegistry: storage failures are states", () => {
  const deficient = draft(REQUEST_DEDUPLICATION, "s4-control-flow-contrast", "s10-use-instead");

  it("stops a repair whose version storage keeps refusing: `failed`, at the last stored version, ready for Continue", async () => {
    const { store, document, calls, run } = await setup({ first: deficient, env: { REPAIR: "on" }, failures: { acceptVersion: 3 } });
    const { end, stored } = await run().ended;
    expect(calls.acceptVersion).toBe(3);
    const message = end?.type === "end" ? (end.error ?? "") : "";
    expect(message.startsWith("The repair was stopped: version 2 could not be saved; storage failed (disk I/O error writing with key [redacted]")).toBe(true);
    expect(end).toMatchObject({ status: "failed", version: 1 });
    expect(stored).toMatchObject({ status: "failed", error: message, version: 1, markdown: deficient });
    expect(stored?.repair?.status).toBe("stopped");
    expect((await store.listVersions(document.id)).map((version) => version.version)).toEqual([1]);
  });

  it("ends complete with the first pass when its repair cannot even be recorded", async () => {
    const { calls, run } = await setup({ first: deficient, env: { REPAIR: "on" }, failures: { beginRepair: 3 } });
    const { stored } = await run().ended;
    expect(calls.beginRepair).toBe(3);
    expect(stored).toMatchObject({ status: "complete", version: 1, markdown: deficient, repair: null });
  });

  it(`stops the job after ${CHECKPOINT_FAILURES_BEFORE_STOP} checkpoints in a row fail, with a redacted storage message`, async () => {
    const { calls, run } = await setup({ seconds: 3, failures: { checkpoint: 1_000 } });
    const { end, stored } = await run().ended;
    // Then once more, as the stopped pass's last state is flushed before the final write.
    expect(calls.checkpoint).toBe(CHECKPOINT_FAILURES_BEFORE_STOP + 1);
    expect(end?.type === "end" && end.status).toBe("failed");
    const message = end?.type === "end" ? (end.error ?? "") : "";
    expect(message.startsWith(`The generation was stopped: ${CHECKPOINT_FAILURES_BEFORE_STOP} checkpoints in a row could not be saved; storage failed (disk I/O error writing with key [redacted] xxx`)).toBe(true);
    expect(message).not.toContain(CONFIGURED_KEY);
    // The error's own text is one line of at most 200 characters.
    const detail = /storage failed \((.*)\)\. The text is kept/.exec(message)?.[1] ?? "";
    expect(detail).toHaveLength(200);
    expect(message.endsWith("The text is kept in this server's memory and saved as soon as storage works again; then use Continue or Retry.")).toBe(true);
    expect(stored).toMatchObject({ status: "failed", error: message });
  });

  it("goes on when fewer checkpoints than that fail in a row", async () => {
    const { calls, run } = await setup({ seconds: 1, failures: { checkpoint: CHECKPOINT_FAILURES_BEFORE_STOP - 1 } });
    const { end } = await run().ended;
    expect(calls.checkpoint).toBeGreaterThan(CHECKPOINT_FAILURES_BEFORE_STOP - 1);
    expect(end).toMatchObject({ status: "complete" });
  });

  it("counts only failures in a row: a checkpoint that is stored starts the count again", async () => {
    const pattern = Array.from({ length: 40 }, (_, index) => index + 1).filter((call) => call % CHECKPOINT_FAILURES_BEFORE_STOP !== 0);
    const { calls, run } = await setup({ seconds: 1, failures: { checkpoint: pattern } });
    const { end } = await run().ended;
    expect(calls.checkpoint).toBeGreaterThan(CHECKPOINT_FAILURES_BEFORE_STOP + 1);
    expect(end).toMatchObject({ status: "complete" });
  });

  it("writes no checkpoint while nothing new was written (a model that pauses)", async () => {
    const pausing: LanguageModelV3 = {
      specificationVersion: "v3",
      provider: "test",
      modelId: "pausing",
      supportedUrls: {},
      doGenerate: () => Promise.reject(new Error("streams only")),
      async doStream() {
        const usage = { inputTokens: { total: 1, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: undefined, reasoning: undefined } };
        return {
          stream: new ReadableStream<LanguageModelV3StreamPart>({
            start(controller) {
              controller.enqueue({ type: "stream-start", warnings: [] });
              controller.enqueue({ type: "text-start", id: "t" });
              controller.enqueue({ type: "text-delta", id: "t", delta: REQUEST_DEDUPLICATION });
              // Six checkpoint intervals with nothing new, then the end.
              setTimeout(() => {
                controller.enqueue({ type: "text-end", id: "t" });
                controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
                controller.close();
              }, 300);
            },
          }),
        };
      },
    };
    const { calls, run } = await setup({ model: pausing });
    const { end } = await run().ended;
    expect(end).toMatchObject({ status: "complete" });
    expect(calls.checkpoint).toBe(1);
  });

  it("retries a refused final write, and completes when storage takes it", async () => {
    const { calls, run } = await setup({ failures: { finish: 2 } });
    const { end, stored } = await run().ended;
    expect(calls.finish).toBe(3);
    expect(end).toMatchObject({ status: "complete" });
    expect(stored?.status).toBe("complete");
  });

  it("holds a final state storage keeps refusing: `failed`, never `complete`, and stored by the background retry", async () => {
    const { registry, store, document, calls, run } = await setup({ failures: { finish: 3 } });
    const { job, ended } = run();
    const { end, stored } = await ended;
    const doneAt = Date.now();
    expect(calls.finish).toBe(3);
    expect(end?.type === "end" && end.status).toBe("failed");
    const message = end?.type === "end" ? (end.error ?? "") : "";
    expect(message.startsWith("The document could not be saved: storage failed (disk I/O error writing with key [redacted]")).toBe(true);
    expect(message).not.toContain("The generation itself ended");
    expect(stored?.status).toBe("generating");
    // Held: readers, the API and Continue still find the job and its text.
    expect(registry.get(document.id)).toBe(job);
    expect(registry.activeCount).toBe(0);
    await waitFor(async () => (await store.get(document.id))?.status !== "generating", 5_000);
    // The first background write waits about a second.
    expect(Date.now() - doneAt).toBeGreaterThanOrEqual(900);
    expect(Date.now() - doneAt).toBeLessThan(4_000);
    expect(await store.get(document.id)).toMatchObject({ status: "failed", error: message, markdown: REQUEST_DEDUPLICATION });
    expect(registry.get(document.id)).toBeUndefined();
  });

  it("holds a first pass whose version storage refuses, and stores the version before the final state", async () => {
    const { registry, store, document, calls, run } = await setup({ failures: { saveVersion: 3 } });
    const { end, stored } = await run().ended;
    expect(calls.saveVersion).toBe(3);
    expect(calls.finish).toBeUndefined();
    expect(end).toMatchObject({ status: "failed" });
    expect(stored?.status).toBe("generating");
    expect(await registry.saveUnsaved(document.id)).toBe(true);
    expect(calls.saveVersion).toBe(4);
    expect(calls.finish).toBe(1);
    expect((await store.listVersions(document.id)).map((version) => version.version)).toEqual([1]);
    expect(await store.get(document.id)).toMatchObject({ status: "failed", markdown: REQUEST_DEDUPLICATION });
    // Nothing is left to save.
    expect(registry.get(document.id)).toBeUndefined();
    expect(await registry.saveUnsaved(document.id)).toBe(true);
  });

  it("tries a held state once more on a graceful shutdown", async () => {
    const { registry, store, document, run } = await setup({ failures: { finish: 3 } });
    await run().ended;
    await registry.interruptAll("The server restarted.");
    expect((await store.get(document.id))?.status).toBe("failed");
    expect(registry.get(document.id)).toBeUndefined();
  });

  it("waits 200 ms, then 800 ms, before writing a refused final state again", async () => {
    const { times, run } = await setup({ failures: { finish: 3 } });
    await run().ended;
    const [first, second, third] = times.finish ?? [];
    expect(second! - first!).toBeGreaterThanOrEqual(190);
    // Upper bounds with room for a loaded machine: they only tell the waits apart from much longer ones.
    expect(second! - first!).toBeLessThan(700);
    expect(third! - second!).toBeGreaterThanOrEqual(790);
    expect(third! - second!).toBeLessThan(2_500);
  });

  it("tells Continue when the held state still cannot be stored", async () => {
    const { registry, document, run } = await setup({ failures: { finish: 4 } });
    await run().ended;
    expect(await registry.saveUnsaved(document.id)).toBe(false);
    expect(registry.get(document.id)).toBeDefined();
    expect(await registry.saveUnsaved(document.id)).toBe(true);
  });

  it("says how the generation itself ended when its final state cannot be stored", async () => {
    const { registry, document, run } = await setup({ seconds: 3, failures: { finish: 3 } });
    const { job, ended } = run();
    await waitFor(() => job.text.length > 0);
    void registry.cancel(document.id);
    const { end } = await ended;
    const message = end?.type === "end" ? (end.error ?? "") : "";
    expect(message.startsWith("The document could not be saved: ")).toBe(true);
    expect(message.endsWith(" (The generation itself ended cancelled: Stopped by the user.)")).toBe(true);
    await registry.saveUnsaved(document.id);
  });
});
