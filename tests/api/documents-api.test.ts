import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { consumeDocumentStream } from "../support/sse";
import { startStudioHarness, type StudioHarness } from "../support/studio-harness";

let h: StudioHarness;

beforeAll(async () => {
  h = await startStudioHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.resetScenario();
  h.fake.requests.length = 0;
});

describe("POST /api/documents", () => {
  it("creates a document, streams it from the model and stores the exact text", async () => {
    const response = await h.create({ topic: "Distributed Consensus (Raft/Paxos)", fresh: true });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; url: string };
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.url).toBe(`/d/${body.id}`);

    const finished = await h.waitUntilFinished(body.id);
    expect(finished.status).toBe("complete");
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT);
    expect(finished.model).toBe("fake-model");
    expect(finished.promptVersion).toMatch(/^mp-[0-9a-f]{12}$/);
    expect(finished.sections).toHaveLength(12);

    // The model received the master prompt with the topic filled in, over the Chat Completions API.
    const [request] = h.fake.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    const prompt = JSON.stringify(request?.body?.messages);
    expect(prompt).toContain("TOPIC: Distributed Consensus (Raft/Paxos)");
    expect(prompt).not.toContain("<INSERT_TOPIC_NAME_HERE>");
  });

  it.each(["N+1 Query Problem", "Bulkheads & Resource Isolation", "Consistent Hashing: Virtual Nodes"])("accepts the real-world topic %s", async (topic) => {
    const response = await h.create({ topic, fresh: true });
    expect(response.status).toBe(201);
    await h.waitUntilFinished(((await response.json()) as { id: string }).id);
  });

  it.each([
    ["an empty topic", { topic: "" }, "invalid_topic", /empty/i],
    ["a whitespace-only topic", { topic: "   \t " }, "invalid_topic", /empty/i],
    ["a 121-character topic", { topic: "x".repeat(121) }, "invalid_topic", /too long/i],
    ["a topic with a newline", { topic: "Rate\nLimiting" }, "invalid_topic", /single line/i],
    ["a topic with a control character", { topic: "Rate\u0007Limiting" }, "invalid_topic", /control/i],
    ["a topic with a lone surrogate", { topic: "Rate \ud800 Limiting" }, "invalid_topic", /unicode/i],
    ["a missing topic", {}, "invalid_topic", /topic/i],
    ["a topic that is not a string", { topic: 42 }, "invalid_topic", /topic/i],
    ["an unknown model", { topic: "Rate Limiting", model: "gpt-imaginary" }, "unknown_model", /unknown model/i],
  ])("rejects %s with a 400 and stores nothing", async (_name, body, code, message) => {
    const before = (await h.studio.store.listRecent(1000)).length;
    const response = await h.create(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toMatch(message);
    expect((await h.studio.store.listRecent(1000)).length).toBe(before);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("rejects malformed and oversized bodies with a clear 4xx", async () => {
    const malformed = await h.create("{topic: nope");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const empty = await h.create("");
    expect(empty.status).toBe(400);
    const huge = await h.create({ topic: "Rate Limiting", padding: "x".repeat(10_000) });
    expect(huge.status).toBe(413);
    const list = await h.create("[1,2]");
    expect(list.status).toBe(400);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("lets the user choose among the configured models", async () => {
    const response = await h.create({ topic: "Load Shedding", model: "fake-model-mini", fresh: true });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await h.waitUntilFinished(id);
    expect(h.fake.requests[0]?.body?.model).toBe("fake-model-mini");
  });
});

describe("GET /api/documents/{id}/stream", () => {
  it("replays from an offset and then streams live: exactly the remaining text", async () => {
    h.fake.setScenario({ chunkSize: 40, delayMs: 15 });
    const { id } = await h.createOk("Backpressure");
    await h.fake.waitFor((requests) => (requests[0]?.servedChars ?? 0) > 400);
    const from = 123;
    const response = await h.stream(id, `?from=${from}`);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const consumed = await consumeDocumentStream(response.body!, from);
    expect(consumed.text).toBe(DEFAULT_DOCUMENT.slice(from));
    expect(consumed.end).toEqual({ status: "complete" });
  });

  it("prefers Last-Event-ID over ?from= (EventSource reconnects) and replays finished documents", async () => {
    const { id } = await h.createOk("Bloom Filters");
    await h.waitUntilFinished(id);
    const consumed = await consumeDocumentStream((await h.stream(id, "?from=5", { "Last-Event-ID": "1000" })).body!, 1000);
    expect(consumed.text).toBe(DEFAULT_DOCUMENT.slice(1000));
    const whole = await consumeDocumentStream((await h.stream(id)).body!);
    expect(whole.text).toBe(DEFAULT_DOCUMENT);
    expect(whole.events.at(-1)?.event).toBe("end");
  });

  it("answers 404 for unknown and malformed ids", async () => {
    expect((await h.stream("AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await h.get("../../etc/passwd")).status).toBe(404);
    expect((await h.markdown("nope")).status).toBe(404);
  });
});

describe("POST /api/documents/{id}/cancel", () => {
  it("stops the job, aborts the upstream request and keeps the partial text", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 20 });
    const { id } = await h.createOk("Write-Ahead Logging");
    await vi.waitFor(() => expect(h.studio.registry.get(id)?.text.length).toBeGreaterThanOrEqual(200), { timeout: 5_000 });
    const response = await h.action(id, "cancel");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; markdown: string };
    expect(body.status).toBe("cancelled");
    expect(body.markdown.length).toBeGreaterThanOrEqual(200);
    expect(DEFAULT_DOCUMENT.startsWith(body.markdown)).toBe(true);
    await h.fake.waitFor((requests) => requests[0]?.closedByClient === true, 2_000);
    const stored = await h.getJson(id);
    expect(stored.status).toBe("cancelled");
    expect(stored.markdown).toBe(body.markdown);
  });
});

describe("GET /api/documents/{id}/markdown", () => {
  it("downloads the exact text as an attachment named after the topic", async () => {
    const { id } = await h.createOk("Bulkheads & Resource Isolation <script>");
    await h.waitUntilFinished(id);
    const response = await h.markdown(id);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="bulkheads-resource-isolation-script.md"; filename*=UTF-8''bulkheads-resource-isolation-script.md`,
    );
    expect(await response.text()).toBe(DEFAULT_DOCUMENT);
  });

  it("names CJK topics after the topic in filename*, with an ASCII fallback", async () => {
    const { id } = await h.createOk("限流与熔断");
    await h.waitUntilFinished(id);
    const disposition = (await h.markdown(id)).headers.get("content-disposition");
    expect(disposition).toBe(`attachment; filename="design-document.md"; filename*=UTF-8''%E9%99%90%E6%B5%81%E4%B8%8E%E7%86%94%E6%96%AD.md`);
  });
});

describe("timeouts and provider failures", () => {
  it("fails with a clear message and keeps the partial text when the model stalls", async () => {
    h.fake.setScenario({ chunkSize: 20, delayMs: 2, stallAtChar: 300 });
    const { id } = await h.createOk("Leader Election");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toMatch(/stopped sending text for 1\.5 s \(IDLE_TIMEOUT_MS\)/);
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT.slice(0, 300));
    await h.fake.waitFor((requests) => requests[0]?.closedByClient === true, 2_000);
  });

  it("fails when no first token arrives within FIRST_TOKEN_TIMEOUT_MS", async () => {
    h.fake.setScenario({ firstTokenDelayMs: 5_000 });
    const { id } = await h.createOk("Gossip Protocols");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toMatch(/no text within 3 s \(FIRST_TOKEN_TIMEOUT_MS\)/);
    expect(finished.markdown).toBe("");
  });

  it("passes MAX_OUTPUT_TOKENS through only when set", async () => {
    const { id } = await h.createOk("Sharding");
    await h.waitUntilFinished(id);
    expect(h.fake.requests[0]?.body?.max_tokens).toBeUndefined();
  });
});
