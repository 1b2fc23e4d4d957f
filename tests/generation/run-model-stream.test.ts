/**
 * runModelStream against the AI SDK's MockLanguageModelV3: how a document's generation ends for
 * every way a model can stop, when retries and timeouts happen (on a fake clock), and that
 * reasoning never becomes document text. Socket-level faults are covered with the fake model
 * server in tests/api.
 */
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { APICallError, InvalidResponseDataError, simulateReadableStream } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HistoryKind } from "@/lib/documents/types";
import type { ModelActivity } from "@/lib/events/document-events";
import { type ModelStreamPlan, runModelStream } from "@/lib/generation/run-model-stream";

type Part = LanguageModelV3StreamPart;
const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const text = (delta: string): Part => ({ type: "text-delta", id: "t", delta });
const reasoning = (delta: string): Part => ({ type: "reasoning-delta", id: "r", delta });
/** A finish part; `raw: null` is a finish without the provider's own reason. */
const finish = (unified: "stop" | "length" | "content-filter" | "other" | "error", raw: string | null = unified): Part => ({ type: "finish", finishReason: { unified, raw: raw ?? undefined }, usage });
const answer = (...parts: Part[]): Part[] => [{ type: "stream-start", warnings: [] }, { type: "reasoning-start", id: "r" }, { type: "text-start", id: "t" }, ...parts];

/** A response: parts streamed (deltas `delayMs` apart), a failure before the stream, or a stream that stalls. */
type Response = { parts: Part[]; delayMs?: number } | { throws: unknown } | { stallAfter: Part[]; abortError?: boolean };

/** Structural parts go at once; each delta (and the finish) comes `delayMs` after the previous one. */
const paced = (parts: Part[], delayMs: number) =>
  simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }).pipeThrough(
    new TransformStream<Part, Part>({
      async transform(part, controller) {
        if (delayMs && !part.type.endsWith("-start")) await new Promise((resolve) => setTimeout(resolve, delayMs));
        controller.enqueue(part);
      },
    }),
  );

/** A mock model that answers its calls in order and records when each call came. */
function model(...responses: Response[]) {
  const calledAt: number[] = [];
  const calls: LanguageModelV3CallOptions[] = [];
  const mock = new MockLanguageModelV3({
    doStream: async (options) => {
      calledAt.push(Date.now());
      calls.push(options);
      const response = responses[calls.length - 1] ?? responses.at(-1)!;
      if ("throws" in response) throw response.throws;
      if ("stallAfter" in response) {
        // Sends its parts, then nothing until the request is aborted.
        return {
          stream: new ReadableStream<Part>({
            start(controller) {
              for (const part of response.stallAfter) controller.enqueue(part);
              // `abortError`: fails as fetch does when it is aborted (an AbortError), not with the signal's reason.
              const failure = () => (response.abortError ? new DOMException("This operation was aborted", "AbortError") : options.abortSignal?.reason);
              options.abortSignal?.addEventListener("abort", () => controller.error(failure()));
            },
          }),
        };
      }
      return { stream: paced(response.parts, response.delayMs ?? 0) };
    },
  });
  return { mock, calledAt, calls };
}

function plan(modelUnderTest: MockLanguageModelV3, overrides: Partial<ModelStreamPlan> = {}) {
  const output = { text: "", activities: [] as ModelActivity[], notes: [] as { kind: HistoryKind; message: string }[] };
  const full: ModelStreamPlan = {
    model: modelUnderTest,
    prompt: "Write about TOPIC: Circuit Breaker",
    promptStyle: "seed",
    prefix: "",
    maxOutputTokens: undefined,
    firstTokenTimeoutMs: 10_000,
    idleTimeoutMs: 5_000,
    maxContinuations: 2,
    maxAttempts: 3,
    retryBaseDelayMs: 1_000,
    maxRetryAfterMs: 60_000,
    secrets: [],
    signal: new AbortController().signal,
    onText: (delta) => (output.text += delta),
    onActivity: (activity) => {
      if (output.activities.at(-1) !== activity) output.activities.push(activity);
    },
    onNote: (kind, message) => output.notes.push({ kind, message }),
    ...overrides,
  };
  return { plan: full, output };
}

/** The assistant text a continuation request carried. */
const assistantText = (call: LanguageModelV3CallOptions) =>
  call.prompt
    .filter((message) => message.role === "assistant")
    .flatMap((message) => message.content)
    .map((part) => (part.type === "text" ? part.text : ""))
    .join("");

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  vi.spyOn(Math, "random").mockReturnValue(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Runs to the end on the fake clock. */
async function run(planned: ReturnType<typeof plan>) {
  const outcome = runModelStream(planned.plan);
  await vi.runAllTimersAsync();
  return outcome;
}

describe("how a generation ends", () => {
  it("is complete when the model says stop, with exactly its text", async () => {
    const { mock } = model({ parts: answer(text("# Title\n"), text("Body 🦀."), finish("stop")) });
    const planned = plan(mock);
    expect(await run(planned)).toEqual({ status: "complete", continuations: 0 });
    expect(planned.output.text).toBe("# Title\nBody 🦀.");
    expect(planned.output.activities).toEqual(["waiting", "writing"]);
  });

  it("fails when the model says stop without any text (a finish-only answer)", async () => {
    const { mock } = model({ parts: answer(finish("stop")) });
    expect(await run(plan(mock))).toMatchObject({ status: "failed", error: "The model said it had finished but wrote no text." });
    const thinker = model({ parts: answer(reasoning("hmm"), finish("stop")) });
    expect(await run(plan(thinker.mock))).toMatchObject({ status: "failed", error: expect.stringMatching(/only reasoning/) });
  });

  it("continues after the output-token limit from exactly the text so far, and notes it", async () => {
    const { mock, calls } = model({ parts: answer(text("Part one, "), finish("length")) }, { parts: answer(text("part two."), finish("stop")) });
    const planned = plan(mock, { prefix: "Earlier. " });
    expect(await run(planned)).toEqual({ status: "complete", continuations: 1 });
    expect(planned.output.text).toBe("Part one, part two.");
    expect(assistantText(calls[1]!)).toBe("Earlier. Part one, ");
    expect(planned.output.notes.map((note) => note.kind)).toEqual(["continued_after_length"]);
  });

  it("stops continuing at MAX_CONTINUATIONS", async () => {
    const { mock, calls } = model({ parts: answer(text("more "), finish("length")) });
    const outcome = await run(plan(mock, { maxContinuations: 2 }));
    expect(outcome).toMatchObject({ status: "failed", continuations: 2, error: expect.stringMatching(/3 times.*MAX_CONTINUATIONS/) });
    expect(calls).toHaveLength(3);
  });

  it.each([
    ["a content filter", finish("content-filter", "content_filter"), /content filter stopped the answer \(finish reason "content_filter"\)/],
    ["an error finish", finish("other", "error"), /finish reason "error"/],
    ["a tool call", finish("other", "tool_calls"), /finish reason "tool_calls"/],
  ])("fails on %s, with the reason and the text kept", async (_name, ending, message) => {
    const { mock, calls } = model({ parts: answer(text("Partial text"), ending) });
    const planned = plan(mock);
    expect(await run(planned)).toMatchObject({ status: "failed", error: expect.stringMatching(message) });
    expect(planned.output.text).toBe("Partial text");
    expect(calls).toHaveLength(1);
  });

  it("fails on an error object in the stream with the provider's words and code, not an HTTP status", async () => {
    const { mock, calls } = model({ parts: answer(text("Partial"), { type: "error", error: { message: "Invalid API key", code: 401 } }) });
    const planned = plan(mock);
    const outcome = await run(planned);
    expect(outcome).toEqual({ status: "failed", continuations: 0, error: "The model provider reported an error in its stream: Invalid API key (code 401)" });
    expect(planned.output.text).toBe("Partial");
    expect(calls).toHaveLength(1);
  });

  it("continues once, and says so, when a stream ends without a finish reason; fails the second time", async () => {
    const missing = { type: "error", error: new InvalidResponseDataError({ data: undefined, message: "Response stream ended without a finish reason." }) } as Part;
    const once = model({ parts: answer(text("First half, "), missing, finish("error", null)) }, { parts: answer(text("second half."), finish("stop")) });
    const planned = plan(once.mock);
    expect(await run(planned)).toEqual({ status: "complete", continuations: 0 });
    expect(planned.output.text).toBe("First half, second half.");
    expect(planned.output.notes).toEqual([{ kind: "continued_after_unfinished_stream", message: expect.stringMatching(/after 12 characters without a finish reason.*continued automatically once/) }]);

    // The Responses API model reports such a stream as "other" without a raw reason.
    const twice = model({ parts: answer(text("A"), finish("other", null)) }, { parts: answer(text("B"), finish("other", null)) });
    const again = plan(twice.mock);
    expect(await run(again)).toMatchObject({ status: "failed", error: expect.stringMatching(/without a finish reason, again after an automatic continuation/) });
    expect(again.output.text).toBe("AB");
  });

  it("fails on a chunk that cannot be read, without blaming the connection", async () => {
    const { mock } = model({ parts: answer(text("Partial"), { type: "error", error: new SyntaxError("Unexpected end of JSON input") }) });
    const outcome = await run(plan(mock));
    expect(outcome).toMatchObject({ status: "failed" });
    expect(outcome.status === "failed" && outcome.error).not.toMatch(/connection/i);
  });

  it("is cancelled when the job's signal aborts", async () => {
    const controller = new AbortController();
    const { mock } = model({ stallAfter: answer(text("Some text")) });
    const planned = plan(mock, { signal: controller.signal });
    const outcome = runModelStream(planned.plan);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error("cancelled by the user"));
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ status: "cancelled", continuations: 0 });
    expect(planned.output.text).toBe("Some text");
  });
});

describe("retries before the first token", () => {
  const serverError = () => new APICallError({ message: "Internal Server Error", url: "http://model/v1/chat/completions", requestBodyValues: {}, statusCode: 500, responseBody: '{"error":{"message":"overloaded"}}', isRetryable: true });

  it("backs off exponentially with jitter: the first retry waits too", async () => {
    const { mock, calledAt } = model({ throws: serverError() }, { throws: serverError() }, { parts: answer(text("Text"), finish("stop")) });
    const planned = plan(mock, { retryBaseDelayMs: 1_000 });
    expect(await run(planned)).toEqual({ status: "complete", continuations: 0 });
    // Math.random() is 0: each wait is half its backoff (base·2^(attempt-1)).
    expect(calledAt).toEqual([0, 500, 1_500]);
    expect(planned.output.notes.map((note) => note.kind)).toEqual(["retried", "retried"]);
    expect(planned.output.notes[0]!.message).toMatch(/HTTP 500: overloaded.*Attempt 2 after 0.5 s/);
  });

  it("waits as long as Retry-After asks (seconds or a date), capped by MAX_RETRY_AFTER_MS", async () => {
    const limited = (retryAfter: string) =>
      new APICallError({ message: "Too Many Requests", url: "u", requestBodyValues: {}, statusCode: 429, responseHeaders: { "retry-after": retryAfter }, isRetryable: true });
    const seconds = model({ throws: limited("7") }, { parts: answer(text("Text"), finish("stop")) });
    await run(plan(seconds.mock));
    expect(seconds.calledAt).toEqual([0, 7_000]);

    const date = model({ throws: limited(new Date(Date.now() + 12_000).toUTCString()) }, { parts: answer(text("Text"), finish("stop")) });
    await run(plan(date.mock));
    expect(date.calledAt[1]! - date.calledAt[0]!).toBe(12_000);

    const capped = model({ throws: limited("600") }, { parts: answer(text("Text"), finish("stop")) });
    const planned = plan(capped.mock, { maxRetryAfterMs: 3_000 });
    await run(planned);
    expect(capped.calledAt[1]! - capped.calledAt[0]!).toBe(3_000);
    expect(planned.output.notes[0]!.message).toMatch(/after 3 s \(as Retry-After asked\)/);
  });

  it("retries network errors, and gives up after MAX_ATTEMPTS with the cause", async () => {
    const refused = () =>
      new APICallError({ message: "Cannot connect to API: connect ECONNREFUSED", url: "u", requestBodyValues: {}, cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED", address: "127.0.0.1", port: 9 }), isRetryable: true });
    const { mock, calls } = model({ throws: refused() });
    const outcome = await run(plan(mock, { maxAttempts: 3 }));
    expect(calls).toHaveLength(3);
    expect(outcome).toEqual({ status: "failed", continuations: 0, error: "Could not reach the model provider: connection refused (ECONNREFUSED 127.0.0.1:9). (after 3 attempts)" });
  });

  it("does not retry what cannot succeed, nor anything after text arrived", async () => {
    const unauthorized = new APICallError({ message: "Unauthorized", url: "u", requestBodyValues: {}, statusCode: 401, responseBody: '{"error":{"message":"Incorrect API key provided: sk-abc…"}}', isRetryable: false });
    const refused = model({ throws: unauthorized });
    expect(await run(plan(refused.mock))).toMatchObject({ status: "failed", error: "The model provider answered HTTP 401: Incorrect API key provided: sk-abc…" });
    expect(refused.calls).toHaveLength(1);

    const midStream = model({ parts: answer(text("Some"), { type: "error", error: Object.assign(new TypeError("terminated"), { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }) }) });
    expect(await run(plan(midStream.mock))).toMatchObject({ status: "failed", error: expect.stringMatching(/connection to the model provider was lost.*the other side closed the connection/) });
    expect(midStream.calls).toHaveLength(1);
  });

  it("redacts the configured key from every message", async () => {
    const secret = "local-secret-value-123";
    const { mock } = model({ parts: answer({ type: "error", error: { message: `bad key ${secret} for Bearer abcdefghijkl` } }) });
    const outcome = await run(plan(mock, { secrets: [secret], maxAttempts: 1 }));
    expect(outcome.status === "failed" && outcome.error).toBe("The model provider reported an error in its stream: bad key [redacted] for Bearer [redacted]");
  });
});

describe("timeouts on the fake clock", () => {
  it("fails at FIRST_TOKEN_TIMEOUT_MS when nothing arrives", async () => {
    const { mock, calledAt } = model({ stallAfter: answer() });
    const planned = plan(mock, { firstTokenTimeoutMs: 3_000, idleTimeoutMs: 1_000 });
    const outcome = runModelStream(planned.plan);
    await vi.advanceTimersByTimeAsync(2_990);
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(await outcome).toMatchObject({ status: "failed", error: expect.stringMatching(/no text within 3 s \(FIRST_TOKEN_TIMEOUT_MS\)/) });
    expect(calledAt).toEqual([0]);
  });

  it("fails IDLE_TIMEOUT_MS after the last text, even when that is shorter than the first-token limit", async () => {
    const { mock } = model({ stallAfter: answer(text("Some text")) });
    const finishedAt: number[] = [];
    const outcome = runModelStream(plan(mock, { firstTokenTimeoutMs: 60_000, idleTimeoutMs: 1_500 }).plan).then((result) => {
      finishedAt.push(Date.now());
      return result;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await outcome).toMatchObject({ status: "failed", error: expect.stringMatching(/stopped sending text for 1.5 s \(IDLE_TIMEOUT_MS\)/) });
    expect(finishedAt[0]).toBeGreaterThanOrEqual(1_500);
    expect(finishedAt[0]).toBeLessThanOrEqual(1_600);
  });

  it("counts reasoning as progress for both deadlines, and shows it as thinking", async () => {
    const thoughts = Array.from({ length: 10 }, (_, index) => reasoning(`step ${index}. `));
    const { mock } = model({ parts: answer(...thoughts, text("# Answer"), finish("stop")), delayMs: 800 });
    const planned = plan(mock, { firstTokenTimeoutMs: 1_000, idleTimeoutMs: 1_000 });
    expect(await run(planned)).toEqual({ status: "complete", continuations: 0 });
    expect(planned.output.text).toBe("# Answer");
    expect(planned.output.activities).toEqual(["waiting", "thinking", "writing"]);
  });

  it("removes a <think> block sent as text, split across chunks, and counts it as progress", async () => {
    const chunks = "<think>\nPlan.\n\nMore plan.\n</think>\n\n# Title\nBody".match(/.{1,3}/gs)!.map(text);
    const { mock } = model({ parts: answer(...chunks, finish("stop")), delayMs: 100 });
    const planned = plan(mock, { firstTokenTimeoutMs: 500, idleTimeoutMs: 500 });
    expect(await run(planned)).toEqual({ status: "complete", continuations: 0 });
    expect(planned.output.text).toBe("# Title\nBody");
    expect(planned.output.activities).toEqual(["waiting", "thinking", "writing"]);
  });
});

describe("the edges of a request", () => {
  it("needs none of the optional callbacks: continues, retries and thinks without them", async () => {
    const missing = { type: "error", error: new InvalidResponseDataError({ data: undefined, message: "Response stream ended without a finish reason." }) } as Part;
    const serverError = new APICallError({ message: "x", url: "u", requestBodyValues: {}, statusCode: 500, isRetryable: true });
    const { mock } = model({ throws: serverError }, { parts: answer(reasoning("hmm"), text("One, "), finish("length")) }, { parts: answer(text("two, "), missing) }, { parts: answer(text("three."), finish("stop")) });
    let written = "";
    const bare: ModelStreamPlan = { ...plan(mock).plan, onText: (delta) => (written += delta), onActivity: undefined, onNote: undefined, onUsage: undefined, onContinuation: undefined };
    const outcome = runModelStream(bare);
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ status: "complete", continuations: 1 });
    expect(written).toBe("One, two, three.");
  });

  it("continues an unfinished stream whose only text was held back until its end", async () => {
    // "<thi" might begin a <think> block: it is held until the stream ends, then it is text.
    const { mock, calls } = model({ parts: answer(text("<thi"), finish("other", null)) }, { parts: answer(text("nk twice."), finish("stop")) });
    const planned = plan(mock);
    expect(await run(planned)).toEqual({ status: "complete", continuations: 0 });
    expect(planned.output.text).toBe("<think twice.");
    expect(planned.output.notes.map((note) => note.kind)).toEqual(["continued_after_unfinished_stream"]);
    expect(assistantText(calls[1]!)).toBe("<thi");
  });

  it("takes only the SDK's own missing-finish error for an unfinished stream", async () => {
    const lookalike = model({ parts: answer(text("Partial"), { type: "error", error: new Error("Response stream ended without a finish reason.") }) });
    expect(await run(plan(lookalike.mock))).toEqual({ status: "failed", continuations: 0, error: "The model provider failed: Response stream ended without a finish reason." });
    const invalid = model({ parts: answer(text("Partial"), { type: "error", error: new InvalidResponseDataError({ data: 1, message: "Expected a choice" }) }) });
    expect(await run(plan(invalid.mock))).toEqual({ status: "failed", continuations: 0, error: "The model provider sent an invalid response: Expected a choice" });
    expect(invalid.calls).toHaveLength(1);
  });

  it("says exactly how an unfinished stream failed: without any text (after retries), or again after its continuation", async () => {
    const empty = model({ parts: answer(finish("other", null)) });
    expect(await run(plan(empty.mock, { maxAttempts: 2 }))).toEqual({
      status: "failed",
      continuations: 0,
      error: "The model's stream ended without a finish reason and without any text: the connection may have been cut on the way. (after 2 attempts)",
    });
    const twice = model({ parts: answer(text("A"), finish("other", null)) });
    expect(await run(plan(twice.mock))).toEqual({
      status: "failed",
      continuations: 0,
      error: "The model's stream ended without a finish reason, again after an automatic continuation: the connection may have been cut on the way.",
    });
  });

  it("takes a finish without a raw reason for a finish, unless it is `other`", async () => {
    const { mock } = model({ parts: answer(text("Done."), finish("stop", null)) });
    expect(await run(plan(mock))).toEqual({ status: "complete", continuations: 0 });
  });

  it("names each ending exactly: a content filter (with or without its raw reason), or another reason", async () => {
    const ending = async (part: Part) => run(plan(model({ parts: answer(text("Partial"), part) }).mock));
    expect(await ending(finish("content-filter", null))).toEqual({ status: "failed", continuations: 0, error: 'The model provider\'s content filter stopped the answer (finish reason "content_filter").' });
    expect(await ending(finish("other", "error"))).toEqual({ status: "failed", continuations: 0, error: 'The model stopped with finish reason "error" before finishing the document.' });
    expect(await ending(finish("error", null))).toEqual({ status: "failed", continuations: 0, error: 'The model stopped with finish reason "error" before finishing the document.' });
  });

  it("never hands on an empty delta", async () => {
    const deltas: string[] = [];
    const { mock } = model({ parts: answer(text("<think>plan</think>"), text(""), text("Body"), finish("stop")) });
    await run(plan(mock, { onText: (delta) => void deltas.push(delta) }));
    expect(deltas).toEqual(["Body"]);
  });

  it("closes the request and leaves no timer behind when it ends", async () => {
    const { mock, calls } = model({ parts: answer(text("Done."), finish("stop")) });
    const outcome = runModelStream(plan(mock).plan);
    let settled = false;
    void outcome.then(() => (settled = true));
    while (!settled) await vi.advanceTimersByTimeAsync(1);
    expect(calls[0]?.abortSignal?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fails a timeout that the SDK reports as an abort, without another attempt", async () => {
    const { mock, calledAt } = model({ stallAfter: answer(), abortError: true });
    const outcome = runModelStream(plan(mock, { firstTokenTimeoutMs: 2_000 }).plan);
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ status: "failed", continuations: 0, error: "The model sent no text within 2 s (FIRST_TOKEN_TIMEOUT_MS). The text received so far is kept." });
    expect(calledAt).toEqual([0]);
  });

  it("stops waiting for the next attempt as soon as the job is cancelled", async () => {
    const controller = new AbortController();
    const serverError = new APICallError({ message: "x", url: "u", requestBodyValues: {}, statusCode: 500, isRetryable: true });
    const { mock, calls } = model({ throws: serverError });
    const outcome = runModelStream(plan(mock, { signal: controller.signal, retryBaseDelayMs: 10_000 }).plan);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    let settled = false;
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    expect(await outcome).toEqual({ status: "cancelled", continuations: 0 });
    expect(calls).toHaveLength(1);
  });

  it("jitters the backoff over its upper half, and says nothing of Retry-After when it was not asked", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const serverError = new APICallError({ message: "Internal Server Error", url: "u", requestBodyValues: {}, statusCode: 500, isRetryable: true });
    const { mock, calledAt } = model({ throws: serverError }, { parts: answer(text("Text"), finish("stop")) });
    const planned = plan(mock, { retryBaseDelayMs: 1_000 });
    await run(planned);
    expect(calledAt).toEqual([0, 750]);
    expect(planned.output.notes).toEqual([{ kind: "retried", message: "Attempt 1 failed before any text: The model provider answered HTTP 500 Attempt 2 after 0.8 s." }]);
  });
});

