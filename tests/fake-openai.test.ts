/**
 * Tests for the fake OpenAI-compatible server in tests/support/fake-openai.
 * The app's streaming/retry/cancel tests trust this server, so it has to speak
 * the Chat Completions SSE protocol exactly and inject faults precisely.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createOpenAI } from "@ai-sdk/openai";
import { streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { fakeOpenAIControl } from "@/tests/support/fake-openai/control";
import { buildDesignDoc, DEFAULT_DOCUMENT } from "@/tests/support/fake-openai/documents";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type RequestSummary } from "@/tests/support/fake-openai/server";

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

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

type Msg = { role: "system" | "user" | "assistant"; content: string };

interface ChunkJson {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

interface Parsed {
  chunks: ChunkJson[];
  done: boolean;
  text: string;
  finishReason: string | null;
}

function chatBody(messages: Msg[], extra: Record<string, unknown> = {}) {
  return { model: "fake-model", stream: true, stream_options: { include_usage: true }, messages, ...extra };
}

function post(pathname: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.url.replace(/\/v1$/, "")}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test" },
    body: JSON.stringify(body),
    ...init,
  });
}

function chat(messages: Msg[], extra: Record<string, unknown> = {}, init: RequestInit = {}): Promise<Response> {
  return post("/v1/chat/completions", chatBody(messages, extra), init);
}

/** Parses complete `data: ...\n\n` frames; an incomplete trailing frame is ignored. */
function parseSSE(raw: string): Parsed {
  const chunks: ChunkJson[] = [];
  let done = false;
  const frames = raw.split("\n\n");
  frames.pop(); // incomplete tail (or "" after the last separator)
  for (const frame of frames) {
    expect(frame.startsWith("data: ")).toBe(true);
    const data = frame.slice("data: ".length);
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    expect(done).toBe(false); // nothing after [DONE]
    chunks.push(JSON.parse(data) as ChunkJson);
  }
  let text = "";
  let finishReason: string | null = null;
  for (const c of chunks) {
    for (const choice of c.choices) {
      text += choice.delta.content ?? "";
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return { chunks, done, text, finishReason };
}

async function readAll(messages: Msg[], extra: Record<string, unknown> = {}): Promise<Parsed> {
  const res = await chat(messages, extra);
  expect(res.status).toBe(200);
  return parseSSE(await res.text());
}

/** Reads raw SSE text until `until(raw)` is true; returns the reader to continue with. */
async function readUntil(res: Response, until: (raw: string) => boolean) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  while (!until(raw)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended early; got ${raw.length} bytes`);
    raw += decoder.decode(value, { stream: true });
  }
  return { reader, raw };
}

const userPrompt = (topic: string): Msg => ({
  role: "user",
  content: `You are a senior engineer.\n\nTOPIC: ${topic}\n\nBegin generating the Markdown document now.`,
});

const lastRequest = (): RecordedRequest => {
  const r = fake.requests[fake.requests.length - 1];
  if (!r) throw new Error("no requests recorded");
  return r;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// protocol
// ---------------------------------------------------------------------------

describe("fake OpenAI: stream protocol", () => {
  it("built-in document has an H1 and 12 numbered sections", () => {
    expect(DEFAULT_DOCUMENT.startsWith("# ")).toBe(true);
    const sections = DEFAULT_DOCUMENT.match(/^## (\d+)\. .+$/gm) ?? [];
    expect(sections.map((s) => Number(/^## (\d+)/.exec(s)?.[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("streams chat.completion.chunk frames shaped like OpenAI, then usage and [DONE]", async () => {
    const res = await chat([userPrompt("Request Coalescing")], { model: "my-model" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { chunks, done, text, finishReason } = parseSSE(await res.text());

    expect(done).toBe(true);
    expect(text).toBe(DEFAULT_DOCUMENT);
    expect(finishReason).toBe("stop");

    const ids = new Set(chunks.map((c) => c.id));
    expect(ids.size).toBe(1);
    for (const c of chunks) {
      expect(c.object).toBe("chat.completion.chunk");
      expect(c.model).toBe("my-model");
      expect(typeof c.created).toBe("number");
    }
    const first = chunks[0]!;
    expect(first.choices).toEqual([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);

    const usageChunk = chunks[chunks.length - 1]!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(usageChunk.usage!.total_tokens).toBe(usageChunk.usage!.prompt_tokens + usageChunk.usage!.completion_tokens);

    const finalChunk = chunks[chunks.length - 2]!;
    expect(finalChunk.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]);

    const content = chunks.slice(1, -2);
    expect(content.length).toBe(Math.ceil(DEFAULT_DOCUMENT.length / 24));
    for (const c of content) {
      expect(c.choices).toHaveLength(1);
      expect(c.choices[0]!.finish_reason).toBeNull();
      expect(c.choices[0]!.delta.content!.length).toBeLessThanOrEqual(24);
    }

    const rec = lastRequest();
    expect(rec).toMatchObject({
      finished: true,
      closedByClient: false,
      servedChars: DEFAULT_DOCUMENT.length,
      outcome: "stop",
      finishReason: "stop",
      model: "my-model",
      stream: true,
    });
    expect(rec.body?.stream_options).toEqual({ include_usage: true });
  });

  it("omits the usage chunk when include_usage is not requested", async () => {
    const { chunks, done, text } = await readAll([userPrompt("x")], { stream_options: undefined });
    expect(done).toBe(true);
    expect(text).toBe(DEFAULT_DOCUMENT);
    expect(chunks.every((c) => c.choices.length === 1 && !("usage" in c))).toBe(true);
  });

  it("honours chunkSize and never splits a surrogate pair", async () => {
    const doc = "# Emoji 🚀 doc\n\n## 1. A 🧪 b\n\nend 🎉";
    fake.setScenario({ document: doc, chunkSize: 3, delayMs: 0 });
    const { chunks, text } = await readAll([userPrompt("x")]);
    expect(text).toBe(doc);
    for (const c of chunks.slice(1, -2)) {
      const piece = c.choices[0]!.delta.content!;
      expect(piece.length).toBeLessThanOrEqual(4);
      expect(/[\uD800-\uDBFF]$/.test(piece)).toBe(false);
    }
  });

  it("answers non-streaming requests with a chat.completion", async () => {
    const res = await post("/v1/chat/completions", { model: "fake-model", messages: [userPrompt("x")] });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
    expect(json.object).toBe("chat.completion");
    expect(json.choices[0]!.message.content).toBe(DEFAULT_DOCUMENT);
    expect(json.choices[0]!.finish_reason).toBe("stop");
  });

  it("serves /v1/models, 404s unknown paths and 400s bad bodies with OpenAI-style errors", async () => {
    const base = fake.url.replace(/\/v1$/, "");
    const models = (await (await fetch(`${fake.url}/models`)).json()) as { object: string; data: Array<{ id: string }> };
    expect(models.object).toBe("list");
    expect(models.data.map((m) => m.id)).toContain("fake-model");

    const notFound = await fetch(`${base}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ error: { message: expect.any(String) } });

    const bad = await fetch(`${fake.url}/chat/completions`, { method: "POST", body: "not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    expect(lastRequest()).toMatchObject({ status: 400, outcome: "bad-request" });
  });
});

// ---------------------------------------------------------------------------
// documents and continuation
// ---------------------------------------------------------------------------

describe("fake OpenAI: documents and continuation", () => {
  const rateDoc = buildDesignDoc("Rate Limiting");
  const idemDoc = buildDesignDoc("Idempotency Keys");

  it("serves the per-topic document (case-insensitive) and falls back to the default", async () => {
    fake.setScenario({ documentsByTopic: { "Rate Limiting": rateDoc, "Idempotency Keys": idemDoc }, delayMs: 0 });

    expect((await readAll([userPrompt("idempotency KEYS in payment APIs")])).text).toBe(idemDoc);
    expect(lastRequest().documentKey).toBe("Idempotency Keys");

    expect((await readAll([{ role: "user", content: "Write about rate limiting please" }])).text).toBe(rateDoc);
    expect((await readAll([userPrompt("Consistent Hashing")])).text).toBe(DEFAULT_DOCUMENT);
    expect(lastRequest().documentKey).toBe("default");
  });

  it("prefers the TOPIC: line over other mentions in the prompt", async () => {
    fake.setScenario({ documentsByTopic: { "Rate Limiting": rateDoc, "Idempotency Keys": idemDoc }, delayMs: 0 });
    const prompt: Msg = {
      role: "user",
      content: "Mention rate limiting where relevant.\n\nTOPIC: Idempotency Keys\n\nBegin.",
    };
    expect((await readAll([prompt])).text).toBe(idemDoc);
  });

  it("streams exactly the remainder when continuing after an assistant prefix", async () => {
    fake.setScenario({ documentsByTopic: { "Rate Limiting": rateDoc }, delayMs: 0 });
    const prefix = rateDoc.slice(0, 537);
    const { text, finishReason } = await readAll([
      userPrompt("Rate Limiting"),
      { role: "assistant", content: prefix },
      { role: "user", content: "Continue exactly where you left off." },
    ]);
    expect(text).toBe(rateDoc.slice(537));
    expect(prefix + text).toBe(rateDoc);
    expect(finishReason).toBe("stop");
    expect(lastRequest()).toMatchObject({
      isContinuation: true,
      continuationChars: 537,
      prefixMismatch: false,
      servedChars: rateDoc.length - 537,
      documentKey: "Rate Limiting",
    });
  });

  it("streams the whole document and flags prefixMismatch when the assistant text is not a prefix", async () => {
    fake.setScenario({ delayMs: 0 });
    const { text } = await readAll([
      userPrompt("x"),
      { role: "assistant", content: "# Something else entirely" },
      { role: "user", content: "continue" },
    ]);
    expect(text).toBe(DEFAULT_DOCUMENT);
    expect(lastRequest()).toMatchObject({ isContinuation: true, prefixMismatch: true, continuationChars: 0 });
  });
});

// ---------------------------------------------------------------------------
// faults
// ---------------------------------------------------------------------------

describe("fake OpenAI: faults", () => {
  it("failBeforeStream answers the next N requests with an OpenAI-style 500, then recovers", async () => {
    fake.setScenario({ failBeforeStream: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await chat([userPrompt("x")]);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error: { message: expect.any(String), type: "server_error" } });
    }
    expect(fake.getScenario().failBeforeStream).toBe(0);
    expect((await readAll([userPrompt("x")])).text).toBe(DEFAULT_DOCUMENT);
    expect(fake.requests.map((r) => [r.status, r.outcome])).toEqual([
      [500, "http-error"],
      [500, "http-error"],
      [200, "stop"],
    ]);
  });

  it("resetAtChar destroys the socket mid-stream so the body read rejects (once)", async () => {
    fake.setScenario({ resetAtChar: 100 });
    const res = await chat([userPrompt("x")]);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let raw = "";
    const error = await (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return null;
          raw += decoder.decode(value, { stream: true });
        }
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    const parsed = parseSSE(raw);
    expect(parsed.text).toBe(DEFAULT_DOCUMENT.slice(0, 100));
    expect(parsed.done).toBe(false);
    expect(parsed.finishReason).toBeNull();
    expect(lastRequest()).toMatchObject({ outcome: "reset", fault: "reset", servedChars: 100, closedByClient: false, finished: false });

    // faultOnce (default): the next request is clean.
    expect(fake.getScenario().resetAtChar).toBeNull();
    expect((await readAll([userPrompt("x")])).text).toBe(DEFAULT_DOCUMENT);
  });

  it("stallAtChar stops sending but keeps the connection open", async () => {
    fake.setScenario({ stallAtChar: 50, delayMs: 1 });
    const ac = new AbortController();
    const res = await chat([userPrompt("x")], {}, { signal: ac.signal });
    const { reader, raw } = await readUntil(res, (r) => parseSSE(r).text.length >= 50);
    expect(parseSSE(raw).text).toBe(DEFAULT_DOCUMENT.slice(0, 50));

    const next = reader.read().then(
      () => "data",
      () => "error",
    );
    const winner = await Promise.race([next, sleep(300).then(() => "quiet")]);
    expect(winner).toBe("quiet");
    expect(lastRequest()).toMatchObject({ outcome: "stall", fault: "stall", servedChars: 50, finished: false, endedAt: null });

    ac.abort();
    await fake.waitFor((reqs) => reqs[0]?.closedByClient === true);
    expect(lastRequest().outcome).toBe("client-closed");
  });

  it("lengthAtChar ends normally with finish_reason length at exactly that char (once)", async () => {
    fake.setScenario({ lengthAtChar: 130, delayMs: 0 });
    const truncated = await readAll([userPrompt("x")]);
    expect(truncated.text).toBe(DEFAULT_DOCUMENT.slice(0, 130));
    expect(truncated.finishReason).toBe("length");
    expect(truncated.done).toBe(true);
    expect(truncated.chunks[truncated.chunks.length - 1]!.usage).toBeTruthy();
    expect(lastRequest()).toMatchObject({ outcome: "length", finishReason: "length", fault: "length", finished: true, servedChars: 130 });

    const clean = await readAll([userPrompt("x")]);
    expect(clean.text).toBe(DEFAULT_DOCUMENT);
    expect(clean.finishReason).toBe("stop");
  });

  it("faultOnce: false applies the fault to every request; offsets are per response", async () => {
    fake.setScenario({ lengthAtChar: 40, faultOnce: false, delayMs: 0 });
    const a = await readAll([userPrompt("x")]);
    expect(a.text).toBe(DEFAULT_DOCUMENT.slice(0, 40));
    const b = await readAll([userPrompt("x"), { role: "assistant", content: a.text }, { role: "user", content: "continue" }]);
    expect(b.text).toBe(DEFAULT_DOCUMENT.slice(40, 80));
    expect(b.finishReason).toBe("length");
  });

  it("firstTokenDelayMs delays the first chunk", async () => {
    fake.setScenario({ firstTokenDelayMs: 150, delayMs: 0 });
    const t0 = Date.now();
    const res = await chat([userPrompt("x")]);
    const { reader } = await readUntil(res, (r) => r.includes("\n\n"));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await reader.cancel();
  });

  it("records a client abort as closedByClient and stops writing", async () => {
    fake.setScenario({ delayMs: 20 });
    const ac = new AbortController();
    const res = await chat([userPrompt("x")], {}, { signal: ac.signal });
    await readUntil(res, (r) => parseSSE(r).text.length >= 48);
    ac.abort();
    await fake.waitFor((reqs) => reqs[0]?.closedByClient === true);
    const rec = lastRequest();
    expect(rec).toMatchObject({ closedByClient: true, finished: false, outcome: "client-closed" });
    expect(rec.endedAt).not.toBeNull();
    const served = rec.servedChars;
    expect(served).toBeLessThan(DEFAULT_DOCUMENT.length);
    await sleep(100);
    expect(rec.servedChars).toBe(served);
  });

  it("close() destroys open (stalled) connections and does not hang", async () => {
    const own = await startFakeOpenAI({ defaults: { stallAtChar: 10 } });
    const res = await fetch(`${own.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify(chatBody([userPrompt("x")])),
    });
    const reading = res.text().then(
      () => "resolved",
      () => "rejected",
    );
    await own.waitFor((reqs) => reqs[0]?.outcome === "stall");
    const t0 = Date.now();
    await own.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await reading).toBe("rejected");
    expect(own.requests[0]).toMatchObject({ outcome: "server-closed", closedByClient: false });
    await own.close(); // idempotent
  });

  it("waitFor rejects with a helpful message on timeout", async () => {
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/timed out after 50 ms/);
  });
});

// ---------------------------------------------------------------------------
// HTTP control endpoints
// ---------------------------------------------------------------------------

describe("fake OpenAI: control endpoints", () => {
  it("POST /__control/scenario (with documentFile), GET /__control/requests, POST /__control/reset", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "fake-openai-"));
    try {
      const file = path.join(dir, "doc.md");
      const fileDoc = buildDesignDoc("From A File");
      await writeFile(file, fileDoc);

      const set = await post("/__control/scenario", { documentFile: file, chunkSize: 100, delayMs: 0 });
      expect(set.status).toBe(200);
      expect(await set.json()).toMatchObject({ ok: true, scenario: { chunkSize: 100, documentLength: fileDoc.length } });

      const longPrompt = `TOPIC: files\n${"x".repeat(500)}`;
      const streamed = await readAll([
        { role: "system", content: "system prompt" },
        { role: "user", content: longPrompt },
      ]);
      expect(streamed.text).toBe(fileDoc);
      expect(streamed.chunks.length).toBe(Math.ceil(fileDoc.length / 100) + 3);

      const list = (await (await fetch(`${fake.url.replace(/\/v1$/, "")}/__control/requests`)).json()) as RequestSummary[];
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({
        id: expect.any(Number),
        model: "fake-model",
        messagesCount: 2,
        lastUserMessage: longPrompt.slice(0, 200),
        closedByClient: false,
        finished: true,
        servedChars: fileDoc.length,
        startedAt: expect.any(Number),
      });
      expect(list[0]).not.toHaveProperty("body");

      const bad = await post("/__control/scenario", { chunkSzie: 5 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/chunkSzie/);

      const reset = await post("/__control/reset", {});
      expect(reset.status).toBe(200);
      expect(fake.requests).toHaveLength(0);
      expect(fake.getScenario().document).toBe(DEFAULT_DOCUMENT);
      expect(fake.getScenario().chunkSize).toBe(24);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("faults can be set over HTTP", async () => {
    const set = await post("/__control/scenario", { failBeforeStream: 1, lengthAtChar: 30 });
    expect(set.status).toBe(200);
    expect((await chat([userPrompt("x")])).status).toBe(500);
    expect((await readAll([userPrompt("x")])).text).toBe(DEFAULT_DOCUMENT.slice(0, 30));
  });

  it("fakeOpenAIControl drives the same endpoints", async () => {
    const control = fakeOpenAIControl(fake.url);
    await control.setScenario({ stallAtChar: 24 });
    const ac = new AbortController();
    const res = await chat([userPrompt("via control")], {}, { signal: ac.signal });
    expect(res.status).toBe(200);
    const [stalled] = await control.waitFor((reqs) => reqs[0]?.outcome === "stall");
    expect(stalled).toMatchObject({ servedChars: 24, lastUserMessage: expect.stringContaining("via control") });
    ac.abort();
    await control.waitFor((reqs) => reqs[0]?.closedByClient === true);
    await control.reset();
    expect(await control.requests()).toEqual([]);
    await expect(control.setScenario({ chunkSize: 0 })).rejects.toThrow(/chunkSize/);
  });

  it("cli.ts prints the listening URL, serves, and exits cleanly on SIGTERM", async () => {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const child = spawn(tsx, ["tests/support/fake-openai/cli.ts", "--port", "0", "--chunk-size", "7", "--delay-ms", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /fake-openai listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`cli exited early with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/chat/completions`, { method: "POST", body: JSON.stringify(chatBody([userPrompt("x")])) });
      const parsed = parseSSE(await res.text());
      expect(parsed.text).toBe(DEFAULT_DOCUMENT);
      expect(parsed.chunks[1]!.choices[0]!.delta.content).toHaveLength(7);
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

// ---------------------------------------------------------------------------
// real AI SDK client
// ---------------------------------------------------------------------------

describe("fake OpenAI: with the real AI SDK (streamText + @ai-sdk/openai chat)", () => {
  const model = () => createOpenAI({ baseURL: fake.url, apiKey: "test" }).chat("fake-model");

  async function consume(result: { textStream: AsyncIterable<string> }): Promise<string> {
    let text = "";
    for await (const delta of result.textStream) text += delta;
    return text;
  }

  it("reassembles the document exactly with finishReason stop", async () => {
    const result = streamText({ model: model(), prompt: "TOPIC: Request Coalescing", maxRetries: 0 });
    expect(await consume(result)).toBe(DEFAULT_DOCUMENT);
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(lastRequest().body).toMatchObject({ model: "fake-model", stream: true, stream_options: { include_usage: true } });
  });

  it("reports finishReason length for the length fault", async () => {
    fake.setScenario({ lengthAtChar: 200 });
    const result = streamText({ model: model(), prompt: "TOPIC: x", maxRetries: 0 });
    expect(await consume(result)).toBe(DEFAULT_DOCUMENT.slice(0, 200));
    expect(await result.finishReason).toBe("length");
  });

  it("continues from an assistant message sent by the SDK", async () => {
    const prefix = DEFAULT_DOCUMENT.slice(0, 321);
    const result = streamText({
      model: model(),
      messages: [
        { role: "user", content: "TOPIC: x" },
        { role: "assistant", content: prefix },
        { role: "user", content: "Continue exactly where you stopped." },
      ],
      maxRetries: 0,
    });
    expect(prefix + (await consume(result))).toBe(DEFAULT_DOCUMENT);
    expect(lastRequest()).toMatchObject({ isContinuation: true, continuationChars: 321 });
  });

  it("aborting the SDK call closes the upstream request (closedByClient)", async () => {
    fake.setScenario({ delayMs: 20 });
    const ac = new AbortController();
    const result = streamText({ model: model(), prompt: "TOPIC: x", abortSignal: ac.signal, maxRetries: 0 });
    let text = "";
    try {
      for await (const delta of result.textStream) {
        text += delta;
        if (text.length >= 48) ac.abort();
      }
    } catch {
      // depending on timing the SDK may surface the abort as an error
    }
    await fake.waitFor((reqs) => reqs[0]?.closedByClient === true);
    expect(lastRequest().servedChars).toBeLessThan(DEFAULT_DOCUMENT.length);
  });
});
