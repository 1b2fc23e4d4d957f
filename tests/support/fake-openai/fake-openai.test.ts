/**
 * The fake model server that the app's streaming, retry and fault tests trust: it must speak both
 * OpenAI streaming protocols the way the real AI SDK reads them, and inject faults exactly.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, type LanguageModel, streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeOpenAIControl } from "./control";
import { buildDesignDoc, DEFAULT_DOCUMENT } from "./documents";
import type { Api } from "./protocol";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from "./server";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.resetScenario();
  fake.clearRequests();
});

const lastRequest = (): RecordedRequest => fake.requests.at(-1)!;
const root = () => fake.url.replace(/\/v1$/, "");
const post = (pathname: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${root()}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...init });
const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: "fake-model",
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: "user", content: "TOPIC: Request Coalescing" }],
  ...extra,
});

/** `data:` payloads of a Chat Completions stream. */
function chatFrames(raw: string): unknown[] {
  return raw
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => frame.slice("data: ".length))
    .map((data) => (data === "[DONE]" ? "[DONE]" : (JSON.parse(data) as unknown)));
}

const MODELS: Record<Api, () => LanguageModel> = {
  chat: () => createOpenAICompatible({ name: "fake", baseURL: fake.url, includeUsage: true }).chatModel("fake-model"),
  responses: () => createOpenAI({ baseURL: fake.url, apiKey: "test" }).responses("fake-model"),
};

/** What the real AI SDK makes of a response: text, reasoning, finish reason, errors. */
async function readWithSdk(api: Api, messages?: { role: "user" | "assistant"; content: string }[]) {
  const result = streamText({ model: MODELS[api](), messages: messages ?? [{ role: "user", content: "TOPIC: x" }], maxRetries: 0, onError: () => {} });
  let text = "";
  let reasoning = "";
  const errors: unknown[] = [];
  let finish: { reason: string; raw: string | undefined } | null = null;
  try {
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") text += part.text;
      else if (part.type === "reasoning-delta") reasoning += part.text;
      else if (part.type === "error") errors.push(part.error);
      else if (part.type === "finish") finish = { reason: part.finishReason, raw: part.rawFinishReason };
    }
  } catch (error) {
    errors.push(error);
  }
  return { text, reasoning, errors, finish };
}

describe("Chat Completions on the wire", () => {
  it("streams chat.completion.chunk frames like OpenAI: role, content, finish, usage, [DONE]", async () => {
    const response = await post("/v1/chat/completions", chatBody({ model: "my-model" }));
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const frames = chatFrames(await response.text()) as { object: string; model: string; choices: { delta: { content?: string; role?: string }; finish_reason: string | null }[]; usage?: unknown }[];
    expect(frames.at(-1)).toBe("[DONE]");
    const chunks = frames.slice(0, -1);
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk" && chunk.model === "my-model")).toBe(true);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(DEFAULT_DOCUMENT);
    expect(lastRequest()).toMatchObject({ api: "chat", outcome: "stop", servedChars: DEFAULT_DOCUMENT.length, closedByClient: false });
  });

  it("honours chunkSize and never splits a surrogate pair", async () => {
    const document = "# Emoji 🚀 doc\n\n## 1. A 🧪 b\n\nend 🎉";
    fake.setScenario({ document, chunkSize: 3, delayMs: 0 });
    const frames = chatFrames(await (await post("/v1/chat/completions", chatBody())).text()) as { choices: { delta: { content?: string } }[] }[];
    const pieces = frames.slice(1, -3).map((frame) => frame.choices[0]!.delta.content!);
    expect(pieces.join("")).toBe(document);
    expect(pieces.every((piece) => piece.length <= 4 && piece.isWellFormed())).toBe(true);
  });

  it("404s unknown paths and 400s bad bodies with OpenAI-style errors", async () => {
    expect((await post("/v1/embeddings", {})).status).toBe(404);
    const bad = await fetch(`${fake.url}/chat/completions`, { method: "POST", body: "not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    expect(lastRequest()).toMatchObject({ status: 400, outcome: "bad-request" });
  });

  it.each([
    ["openai", { error: { message: expect.stringContaining("injected 503") } }],
    ["vllm", { object: "error", detail: expect.stringContaining("injected 503") }],
    ["ollama", { error: expect.stringContaining("injected 503") }],
    ["message", { message: expect.stringContaining("injected 503") }],
  ] as const)("answers HTTP errors with %s-style bodies and Retry-After", async (failBody, body) => {
    fake.setScenario({ failBeforeStream: 1, failStatus: 503, failBody, retryAfter: "7" });
    const response = await post("/v1/chat/completions", chatBody());
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toMatchObject(body);
    expect((await post("/v1/chat/completions", chatBody())).status).toBe(200);
  });
});

describe.each<Api>(["chat", "responses"])("the %s API, read by the real AI SDK", (api) => {
  it("streams the document exactly, ending with stop", async () => {
    const result = await readWithSdk(api);
    expect(result).toMatchObject({ text: DEFAULT_DOCUMENT, errors: [], finish: { reason: "stop" } });
    expect(lastRequest()).toMatchObject({ api, stream: true, outcome: "stop" });
  });

  it("streams only the remainder of a continuation, or echoes the tail first when asked", async () => {
    const prefix = DEFAULT_DOCUMENT.slice(0, 321);
    const messages = [
      { role: "user" as const, content: "TOPIC: x" },
      { role: "assistant" as const, content: prefix },
      { role: "user" as const, content: "Continue exactly where you stopped." },
    ];
    expect(prefix + (await readWithSdk(api, messages)).text).toBe(DEFAULT_DOCUMENT);
    expect(lastRequest()).toMatchObject({ isContinuation: true, continuationChars: 321, prefixMismatch: false });
    fake.setScenario({ echoChars: 40 });
    expect((await readWithSdk(api, messages)).text).toBe(DEFAULT_DOCUMENT.slice(321 - 40));
  });

  it.each([
    ["length", { lengthAtChar: 200 }, "length"],
    ["content filter", { contentFilterAtChar: 200 }, "content-filter"],
  ] as const)("ends with %s at exactly the character asked", async (_name, patch, reason) => {
    fake.setScenario(patch);
    const result = await readWithSdk(api);
    expect(result.text).toBe(DEFAULT_DOCUMENT.slice(0, 200));
    expect(result.finish?.reason).toBe(reason);
    expect(result.errors).toEqual([]);
  });

  it("sends an error object mid-stream", async () => {
    fake.setScenario({ errorEventAtChar: 120, errorEvent: { message: "Upstream provider overloaded", code: 502 } });
    const result = await readWithSdk(api);
    expect(result.text).toBe(DEFAULT_DOCUMENT.slice(0, 120));
    expect(JSON.stringify(result.errors)).toContain("Upstream provider overloaded");
    expect(lastRequest().outcome).toBe("error_event");
  });

  it("ends a stream cleanly without a finish reason", async () => {
    fake.setScenario({ unfinishedAtChar: 150 });
    const result = await readWithSdk(api);
    expect(result.text).toBe(DEFAULT_DOCUMENT.slice(0, 150));
    expect(result.finish?.raw).toBeUndefined();
    expect(result.finish?.reason).not.toBe("stop");
    expect(lastRequest().outcome).toBe("unfinished");
  });

  it("sends a malformed chunk, then goes on", async () => {
    fake.setScenario({ malformedAtChar: 48 });
    const result = await readWithSdk(api);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.text.startsWith(DEFAULT_DOCUMENT.slice(0, 48))).toBe(true);
  });

  it("streams reasoning before the text in its own channel", async () => {
    fake.setScenario({ reasoningChars: 300 });
    const result = await readWithSdk(api);
    expect(result.reasoning).toHaveLength(300);
    expect(result.reasoning).toContain("\n\n");
    expect(result.text).toBe(DEFAULT_DOCUMENT);
  });

  it("answers a streaming request with one JSON document when streaming is off", async () => {
    fake.setScenario({ streaming: false });
    const response = await post(api === "chat" ? "/v1/chat/completions" : "/v1/responses", api === "chat" ? chatBody() : { model: "m", stream: true, input: "TOPIC: x" });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(JSON.stringify(await response.json())).toContain(JSON.stringify(DEFAULT_DOCUMENT.slice(0, 40)).slice(1, -1));
    expect(lastRequest().outcome).toBe("json");
  });

  it("fails before the stream with the status asked", async () => {
    fake.setScenario({ failBeforeStream: 1, failStatus: 429, retryAfter: "3" });
    const result = await readWithSdk(api);
    const error = result.errors[0];
    expect(APICallError.isInstance(error) && error.statusCode).toBe(429);
    expect(APICallError.isInstance(error) && error.responseHeaders?.["retry-after"]).toBe("3");
  });
});

describe("reasoning styles on Chat Completions", () => {
  it.each(["reasoning_content", "reasoning"] as const)("sends reasoning in delta.%s", async (reasoningStyle) => {
    fake.setScenario({ reasoningChars: 50, reasoningStyle });
    const raw = await (await post("/v1/chat/completions", chatBody())).text();
    expect(raw).toContain(`"${reasoningStyle}":"Let me plan`);
  });

  it("sends <think> blocks inside the content, split across chunks", async () => {
    fake.setScenario({ reasoningChars: 60, reasoningStyle: "think_tags", chunkSize: 5 });
    const result = await readWithSdk("chat");
    expect(result.text.startsWith("<think>\nLet me plan")).toBe(true);
    expect(result.text.endsWith(`\n</think>\n\n${DEFAULT_DOCUMENT}`)).toBe(true);
  });
});

describe("faults and recording", () => {
  it("resetAtChar destroys the socket mid-stream (once)", async () => {
    fake.setScenario({ resetAtChar: 100 });
    const result = await readWithSdk("chat");
    expect(result.text).toBe(DEFAULT_DOCUMENT.slice(0, 100));
    expect(result.errors).not.toEqual([]);
    expect(lastRequest()).toMatchObject({ outcome: "reset", fault: "reset", servedChars: 100 });
    expect((await readWithSdk("chat")).text).toBe(DEFAULT_DOCUMENT);
  });

  it("stallAtChar stops sending; a client abort is recorded as closedByClient", async () => {
    fake.setScenario({ stallAtChar: 48 });
    const abort = new AbortController();
    const response = await post("/v1/chat/completions", chatBody(), { signal: abort.signal });
    expect(response.status).toBe(200);
    await fake.waitFor((requests) => requests[0]?.outcome === "stall");
    abort.abort();
    await fake.waitFor((requests) => requests[0]?.closedByClient === true);
    expect(lastRequest()).toMatchObject({ servedChars: 48, outcome: "client-closed" });
  });

  it("faultOnce: false applies the fault to every response", async () => {
    fake.setScenario({ lengthAtChar: 30, faultOnce: false });
    expect((await readWithSdk("chat")).text).toBe(DEFAULT_DOCUMENT.slice(0, 30));
    expect((await readWithSdk("responses")).text).toBe(DEFAULT_DOCUMENT.slice(0, 30));
  });

  it("close() destroys open (stalled) connections, and is idempotent", async () => {
    const own = await startFakeOpenAI({ defaults: { stallAtChar: 10 } });
    const response = await fetch(`${own.url}/chat/completions`, { method: "POST", body: JSON.stringify(chatBody()) });
    const reading = response.text().then(
      () => "resolved",
      () => "rejected",
    );
    await own.waitFor((requests) => requests[0]?.outcome === "stall");
    await own.close();
    expect(await reading).toBe("rejected");
    expect(own.requests[0]).toMatchObject({ outcome: "server-closed", closedByClient: false });
    await own.close();
  });

  it("waitFor rejects with a helpful message on timeout", async () => {
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/timed out after 50 ms/);
  });
});

describe("control over HTTP (for Playwright)", () => {
  it("sets a scenario from a document file, lists requests, resets", async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "fake-openai-"));
    try {
      const file = path.join(directory, "doc.md");
      const fileDocument = buildDesignDoc("From A File");
      await writeFile(file, fileDocument);
      const control = fakeOpenAIControl(fake.url);
      await control.setScenario({ documentFile: file, chunkSize: 100, delayMs: 0 });
      expect((await readWithSdk("chat")).text).toBe(fileDocument);
      const [summary] = await control.waitFor((requests) => requests.length === 1);
      expect(summary).toMatchObject({ api: "chat", servedChars: fileDocument.length, outcome: "stop" });
      expect(summary).not.toHaveProperty("body");
      await expect(control.setScenario({ chunkSzie: 5 } as never)).rejects.toThrow(/chunkSzie/);
      await control.reset();
      expect(await control.requests()).toEqual([]);
      expect(fake.getScenario().document).toBe(DEFAULT_DOCUMENT);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("cli.ts prints the listening URL, serves, and exits cleanly on SIGTERM", async () => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["tests/support/fake-openai/cli.ts", "--port", "0", "--chunk-size", "7", "--delay-ms", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (data: Buffer) => {
          out += data.toString();
          const match = /fake-openai listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.on("exit", (code) => reject(new Error(`cli exited early with ${code}: ${out}`)));
      });
      const frames = chatFrames(await (await fetch(`${url}/chat/completions`, { method: "POST", body: JSON.stringify(chatBody()) })).text()) as { choices: { delta: { content?: string } }[] }[];
      expect(frames[1]!.choices[0]!.delta.content).toHaveLength(7);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
