import { describe, expect, it, vi } from "vitest";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness();

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
    ["a fresh that is not true or false", { topic: "Rate Limiting", fresh: "yes" }, "invalid_request", /fresh must be true or false/],
  ])("rejects %s with a 400 and stores nothing", async (_name, body, code, message) => {
    const before = await h.countDocuments();
    const response = await h.create(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toMatch(message);
    expect(await h.countDocuments()).toBe(before);
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
    expect(consumed.end).toEqual({ type: "end", offset: DEFAULT_DOCUMENT.length, status: "complete", error: null, version: 1 });
  });

  it("prefers Last-Event-ID over ?from= (EventSource reconnects) and replays finished documents", async () => {
    const { id } = await h.createOk("Bloom Filters");
    await h.waitUntilFinished(id);
    const consumed = await consumeDocumentStream((await h.stream(id, "?from=5", { "Last-Event-ID": "1000" })).body!, 1000);
    expect(consumed.text).toBe(DEFAULT_DOCUMENT.slice(1000));
    const whole = await consumeDocumentStream((await h.stream(id)).body!);
    expect(whole.text).toBe(DEFAULT_DOCUMENT);
    expect(whole.events.at(-1)?.type).toBe("end");
  });

  it("streams a document over 16 KB with emoji and other scripts exactly, resuming mid-pair and from every kind of id", async () => {
    const document = `# 絵文字 🦀 Stream\n\n${Array.from({ length: 1_400 }, (_, index) => `Строка ${index}: 👩‍💻 汉字 ${"=".repeat(index % 7)}\n`).join("")}`;
    expect(document.length).toBeGreaterThan(16_384 * 2);
    h.fake.setScenario({ document, chunkSize: 33, delayMs: 1 }); // odd chunks cut surrogate pairs on the model's side
    const { id } = await h.createOk("Emoji 🦀 Streaming");
    const live = await consumeDocumentStream((await h.stream(id)).body!);
    expect(live.text).toBe(document);
    expect(live.events.filter((event) => event.type === "text").every((event) => event.type === "text" && event.delta.isWellFormed())).toBe(true);
    const finished = await h.waitUntilFinished(id);
    expect(finished.markdown).toBe(document);
    // Resume from an offset inside a surrogate pair, then from the last offset of the text.
    const pair = document.indexOf("🦀") + 1;
    expect((await consumeDocumentStream((await h.stream(id, `?from=${pair}`)).body!, pair)).text).toBe(document.slice(pair));
    const atEnd = await consumeDocumentStream((await h.stream(id, `?from=${document.length}`)).body!, document.length);
    expect(atEnd.text).toBe("");
    expect(atEnd.end).toEqual({ type: "end", offset: document.length, status: "complete", error: null, version: 1 });
    const beforeEnd = await consumeDocumentStream((await h.stream(id, `?from=${document.length - 1}`)).body!, document.length - 1);
    expect(beforeEnd.text).toBe(document.slice(-1));
  });

  it("sends the type check as a `checks` event before `end`, live and on a later attach", async () => {
    const { id } = await h.createOk("Checked Streams");
    const live = await consumeDocumentStream((await h.stream(id)).body!);
    const types = live.events.map((event) => event.type);
    expect(types.slice(-2)).toEqual(["checks", "end"]);
    const checks = live.events.find((event) => event.type === "checks");
    expect(checks?.type === "checks" && checks.typecheck.checkedLength).toBe(DEFAULT_DOCUMENT.length);
    const stored = (await (await h.get(id)).json()) as { typecheck: unknown };
    expect(checks?.type === "checks" && checks.typecheck).toEqual(stored.typecheck);
    const later = await consumeDocumentStream((await h.stream(id)).body!);
    expect(later.events.map((event) => event.type).slice(-2)).toEqual(["checks", "end"]);
  });

  it("stores U+0000 in model output as U+FFFD on every back end, so the stored text replays with the same offsets", async () => {
    const document = `# Null\u0000Bytes 🦀\n\n${DEFAULT_DOCUMENT}\u0000`;
    h.fake.setScenario({ document, chunkSize: 7 });
    const { id } = await h.createOk("Null Bytes In Output");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.markdown).toBe(document.replaceAll("\u0000", "\uFFFD"));
    const from = document.indexOf("🦀");
    expect((await consumeDocumentStream((await h.stream(id, `?from=${from}`)).body!, from)).text).toBe(finished.markdown.slice(from));
  });

  it("answers 204 to a reader that reconnects with the id of `end`, so it stops reconnecting", async () => {
    const { id } = await h.createOk("Ended Streams");
    const { end } = await consumeDocumentStream((await h.stream(id)).body!);
    expect(end?.status).toBe("complete");
    const again = await h.stream(id, "", { "Last-Event-ID": `${end!.offset}-end` });
    expect(again.status).toBe(204);
    expect(await again.text()).toBe("");
    // A plain offset still replays the rest and the end, so the page always learns the final status.
    const fromOffset = await consumeDocumentStream((await h.stream(id, "", { "Last-Event-ID": String(end!.offset) })).body!, end!.offset);
    expect(fromOffset.end?.status).toBe("complete");
  });

  it.each(["?from=-1", "?from=abc", "?from=1.5", "?from=1234567890123", "?from="])("answers 400 to %s instead of replaying from the start", async (query) => {
    const { id } = await h.createOk("Bad Offsets");
    const response = await h.stream(id, query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_from");
    expect((await h.stream(id, "", { "Last-Event-ID": "12-later" })).status).toBe(400);
  });

  it("makes a reader ahead of a live document's text wait until the text gets there", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 10 });
    const { id } = await h.createOk("Readers Ahead");
    const from = 2_003; // not on a chunk boundary: the first delta past it is cut
    const consumed = await consumeDocumentStream((await h.stream(id, `?from=${from}`)).body!, from);
    expect(consumed.text).toBe(DEFAULT_DOCUMENT.slice(from));
    expect(consumed.end?.status).toBe("complete");
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
