/**
 * The faults and quirks of real providers, run through the whole app (route handlers, job,
 * storage, event stream) against the fake model server — once per OpenAI API, so the Responses
 * path is tested exactly like Chat Completions.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DOCUMENT } from "./fake-openai/documents";
import type { Api } from "./fake-openai/protocol";
import { readDocumentEvents } from "./sse";
import { useStudioHarness } from "./studio-harness";

/** The configured API key: it must never appear in a stored or shown message. */
const SECRET = "local-test-key-4f9a8b7c";

export function providerFaultSuite(api: Api) {
  const h = useStudioHarness({
    OPENAI_API: api,
    OPENAI_API_KEY: SECRET,
    MAX_CONTINUATIONS: "4",
    MAX_ATTEMPTS: "3",
    RETRY_BASE_DELAY_MS: "200",
    MAX_RETRY_AFTER_MS: "1500",
  });

  /** Creates a document with a unique topic and waits for its final state. */
  const generate = async (topic: string) => {
    const { id } = await h.createOk(`${topic} (${api})`);
    return { id, document: await h.waitUntilFinished(id) };
  };
  /** Milliseconds between the end of request `index - 1` and the start of request `index`. */
  const gapBefore = (index: number) => h.fake.requests[index]!.startedAt - h.fake.requests[index - 1]!.endedAt!;

  describe(`provider faults over the ${api} API`, () => {
    it("completes with exactly the model's text, over the chosen API", async () => {
      const { document } = await generate("Plain Completion");
      expect(document).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT, error: null, history: [] });
      expect(h.fake.requests.map((request) => request.api)).toEqual([api]);
      expect(h.fake.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    });

    it("continues after the output-token limit and says so in the history", async () => {
      h.fake.setScenario({ lengthAtChar: 777 });
      const { document } = await generate("Length Limit");
      expect(document).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT, continuations: 1 });
      expect(document.history.map((entry) => entry.kind)).toEqual(["continued_after_length"]);
      expect(h.fake.requests[1]).toMatchObject({ isContinuation: true, prefixMismatch: false, continuationChars: 777 });
    });

    it("retries failures before the first token, the first retry after a backoff too", async () => {
      h.fake.setScenario({ failBeforeStream: 2 });
      const { document } = await generate("Retry Before First Token");
      expect(document).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
      expect(h.fake.requests.map((request) => request.outcome)).toEqual(["http-error", "http-error", "stop"]);
      expect(gapBefore(1)).toBeGreaterThanOrEqual(90); // RETRY_BASE_DELAY_MS 200: half of it at least, with jitter
      expect(gapBefore(2)).toBeGreaterThanOrEqual(190);
      expect(document.history.map((entry) => entry.kind)).toEqual(["retried", "retried"]);
    });

    it("waits as long as a 429's Retry-After asks, capped by MAX_RETRY_AFTER_MS", async () => {
      h.fake.setScenario({ failBeforeStream: 1, failStatus: 429, retryAfter: "1" });
      const asked = await generate("Retry After One Second");
      expect(asked.document.status).toBe("complete");
      expect(gapBefore(1)).toBeGreaterThanOrEqual(990);
      expect(asked.document.history[0]!.message).toMatch(/HTTP 429: Rate limit reached.*after 1 s \(as Retry-After asked\)/);

      h.fake.clearRequests();
      h.fake.setScenario({ failBeforeStream: 1, failStatus: 503, retryAfter: "120" });
      const capped = await generate("Retry After Two Minutes");
      expect(capped.document.status).toBe("complete");
      expect(gapBefore(1)).toBeGreaterThanOrEqual(1_490);
      expect(gapBefore(1)).toBeLessThan(10_000);
    });

    it("gives up after MAX_ATTEMPTS with the server's own words (a vLLM-style body)", async () => {
      h.fake.setScenario({ failBeforeStream: 10, failBody: "vllm" });
      const { document } = await generate("Provider Down");
      expect(document.status).toBe("failed");
      expect(document.error).toBe("The model provider answered HTTP 500: The server had an error while processing your request (fake-openai injected 500). (after 3 attempts)");
      expect(h.fake.requests).toHaveLength(3);
    });

    it("does not retry a 400, and keeps its message", async () => {
      h.fake.setScenario({ failBeforeStream: 1, failStatus: 400, failBody: "ollama" });
      const { document } = await generate("Bad Request");
      expect(document).toMatchObject({ status: "failed", error: "The model provider answered HTTP 400: The server had an error while processing your request (fake-openai injected 400)." });
      expect(h.fake.requests).toHaveLength(1);
    });

    it("retries a connection lost before any text", async () => {
      h.fake.setScenario({ resetAtChar: 0 });
      const { document } = await generate("Reset Before Text");
      expect(document).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
      expect(h.fake.requests.map((request) => request.outcome)).toEqual(["reset", "stop"]);
    });

    it("keeps the text of a connection lost mid-stream, and Continue completes it exactly even when the model echoes its tail", async () => {
      h.fake.setScenario({ resetAtChar: 1234 });
      const { id, document } = await generate("Reset Mid Stream");
      expect(document).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT.slice(0, 1234) });
      expect(document.error).toMatch(/^The connection to the model provider was lost before the document was finished \(/);
      expect(h.fake.requests).toHaveLength(1);
      h.fake.setScenario({ echoChars: 60 }); // the model repeats the last 60 characters it was given
      expect((await h.action(id, "continue")).status).toBe(202);
      expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
    });

    it("catches a stall after IDLE_TIMEOUT_MS (shorter than the first-token limit), and Continue completes it", async () => {
      h.fake.setScenario({ stallAtChar: 999 });
      const { id } = await h.createOk(`Stall (${api})`);
      await h.fake.waitFor((requests) => requests[0]?.outcome === "stall");
      const stalledAt = Date.now();
      const failed = await h.waitUntilFinished(id);
      const waited = Date.now() - stalledAt;
      expect(failed).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT.slice(0, 999) });
      expect(failed.error).toMatch(/stopped sending text for 1.5 s \(IDLE_TIMEOUT_MS\)/);
      expect(waited).toBeGreaterThanOrEqual(1_300);
      expect(waited).toBeLessThan(2_900); // FIRST_TOKEN_TIMEOUT_MS is 3 s
      await h.action(id, "continue");
      expect((await h.waitUntilFinished(id)).markdown).toBe(DEFAULT_DOCUMENT);
    });

    it("fails a content filter ending with the reason, keeps the text, and Continue resumes it", async () => {
      h.fake.setScenario({ contentFilterAtChar: 640 });
      const { id, document } = await generate("Content Filter");
      expect(document).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT.slice(0, 640) });
      expect(document.error).toMatch(/content filter stopped the answer \(finish reason "content_filter"\)/);
      await h.action(id, "continue");
      expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
    });

    it("fails on an error object sent mid-stream, in the provider's words", async () => {
      h.fake.setScenario({ errorEventAtChar: 500, errorEvent: { message: "Provider disconnected unexpectedly", code: 502 } });
      const { document } = await generate("Error Event");
      expect(document).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT.slice(0, 500) });
      expect(document.error).toBe("The model provider reported an error in its stream: Provider disconnected unexpectedly (code 502)");
    });

    it("reports a 401 sent as a stream event as such (not HTTP 400), with the key redacted", async () => {
      h.fake.setScenario({ errorEventAtChar: 0, errorEvent: { message: `Incorrect API key provided: ${SECRET}`, code: api === "chat" ? 401 : "invalid_api_key" } });
      const { document } = await generate("Key Rejected");
      expect(document.status).toBe("failed");
      expect(document.error).toMatch(/^The model provider reported an error in its stream: Incorrect API key provided: \[redacted\] \(code (401|invalid_api_key)\)/);
      expect(document.error).not.toMatch(/HTTP 400|object Object/);
      expect(document.error).not.toContain(SECRET);
      expect(h.fake.requests).toHaveLength(1);
    });

    it("continues once, and says so, when a stream ends without a finish reason", async () => {
      h.fake.setScenario({ unfinishedAtChar: 1500 });
      const { document } = await generate("Unfinished Once");
      expect(document).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
      expect(document.history).toEqual([{ at: expect.any(String), kind: "continued_after_unfinished_stream", message: expect.stringMatching(/after 1500 characters without a finish reason/) }]);
    });

    it("fails when streams keep ending without a finish reason", async () => {
      h.fake.setScenario({ unfinishedAtChar: 700, faultOnce: false });
      const { document } = await generate("Unfinished Always");
      expect(document.status).toBe("failed");
      expect(document.error).toMatch(/ended without a finish reason, again after an automatic continuation/);
      expect(document.markdown).toBe(DEFAULT_DOCUMENT.slice(0, 1400));
    });

    it("names a malformed chunk as such, never as a lost connection", async () => {
      h.fake.setScenario({ malformedAtChar: 300 });
      const { document } = await generate("Malformed Chunk");
      expect(document).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT.slice(0, 300) });
      expect(document.error).toMatch(/sent a chunk that is not valid JSON/);
      expect(document.error).not.toMatch(/connection/i);
    });

    it("fails a non-streamed JSON answer with a reason, not as an empty complete document", async () => {
      h.fake.setScenario({ streaming: false });
      const { document } = await generate("Non Streaming Server");
      expect(document).toMatchObject({ status: "failed", markdown: "" });
      expect(document.error).toMatch(/single application\/json response instead of a stream/);
      expect(h.fake.requests).toHaveLength(1);
    });

    it("fails a finish-only answer with 0 characters", async () => {
      h.fake.setScenario({ document: "" });
      const { document } = await generate("Finish Only");
      expect(document).toMatchObject({ status: "failed", markdown: "", error: "The model said it had finished but wrote no text." });
    });

    it("lets a model reason longer than FIRST_TOKEN_TIMEOUT_MS, never stores the reasoning, and shows it as thinking", async () => {
      h.fake.setScenario({ reasoningChars: 400, chunkSize: 20, reasoningDelayMs: 200 }); // 4 s of reasoning; the first-token limit is 3 s
      const { id } = await h.createOk(`Reasoning Model (${api})`);
      const activities: string[] = [];
      let text = "";
      for await (const event of readDocumentEvents((await h.stream(id)).body!)) {
        if (event.type === "activity" && activities.at(-1) !== event.activity) activities.push(event.activity);
        if (event.type === "text") text += event.delta;
      }
      expect(activities).toEqual(["waiting", "thinking", "writing"]);
      expect(text).toBe(DEFAULT_DOCUMENT);
      expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
    });

    it("removes a leading <think> block from the document", async () => {
      h.fake.setScenario({ reasoningChars: 300, reasoningStyle: "think_tags", chunkSize: 7 });
      const { document } = await generate("Think Tags");
      expect(document).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
    });
  });
}
