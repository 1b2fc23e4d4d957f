import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerFetch, StreamingNotSupportedError } from "@/lib/generation/provider-fetch";

/** Answers every request with the content type and body named in its path. */
const ANSWERS: Record<string, { status?: number; type?: string; body: string }> = {
  "/stream": { type: "text/event-stream; charset=utf-8", body: "data: {}\n\n" },
  "/json-error-string": { type: "application/json", body: '{"error":"streaming is off on this server"}' },
  "/json-error-object": { type: "application/json", body: '{"error":{"message":"use stream=false"}}' },
  "/chat-answer": { type: "application/json", body: '{"choices":[{"message":{"content":"# Title\\nText"},"finish_reason":"stop"}]}' },
  "/responses-answer": { type: "application/json; charset=utf-8", body: '{"output_text":"abc"}' },
  "/html": { type: "text/html", body: "<html>proxy page</html>" },
  "/untyped": { body: "plain" },
  "/failure": { status: 500, type: "application/json", body: '{"error":{"message":"boom"}}' },
  "/spaced-stream": { type: "text/event-stream ; charset=utf-8", body: "data: {}\n\n" },
  "/stream-like": { type: "text/event-streams", body: "data: {}\n\n" },
  "/prefixed-stream": { type: "x-text/event-stream", body: "data: {}\n\n" },
  "/number-output": { type: "application/json", body: '{"output_text":42}' },
};
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const answer = ANSWERS[request.url ?? ""]!;
    response.writeHead(answer.status ?? 200, answer.type ? { "content-type": answer.type } : {});
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const streaming = (path: string) => providerFetch(`${base}${path}`, { method: "POST", body: JSON.stringify({ model: "m", stream: true }) });

describe("the providers' fetch", () => {
  it("passes event streams, errors and non-streaming requests through", async () => {
    expect(await (await streaming("/stream")).text()).toBe("data: {}\n\n");
    expect((await streaming("/failure")).status).toBe(500);
    expect(await (await providerFetch(`${base}/chat-answer`, { method: "POST", body: '{"stream":false}' })).json()).toMatchObject({ choices: [{}] });
  });

  it.each([
    ["/json-error-string", "application/json", "(streaming is off on this server)"],
    ["/json-error-object", "application/json", "(use stream=false)"],
    ["/chat-answer", "application/json", "(12 characters, not used)"],
    ["/responses-answer", "application/json", "(3 characters, not used)"],
    ["/html", "text/html", "instead of a stream;"],
    ["/untyped", "untyped", "instead of a stream;"],
    ["/stream-like", "text/event-streams", "instead of a stream;"],
    ["/prefixed-stream", "x-text/event-stream", "instead of a stream;"],
    ["/number-output", "application/json", "instead of a stream;"],
  ])("refuses a single %s answer to a streaming request, saying what it was", async (path, type, detail) => {
    const error = await streaming(path).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StreamingNotSupportedError);
    expect((error as Error).name).toBe("StreamingNotSupportedError");
    expect((error as Error).message).toContain(`with a single ${type} response instead of a stream`);
    expect((error as Error).message).toContain(detail);
  });

  it("reads the stream flag however the JSON is spaced, and a content type with spaces around its parameters", async () => {
    const spaced = await providerFetch(`${base}/html`, { method: "POST", body: '{ "model": "m", "stream" : true }' }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(spaced).toBeInstanceOf(StreamingNotSupportedError);
    expect(await (await streaming("/spaced-stream")).text()).toBe("data: {}\n\n");
  });

  it("passes a request with no options through", async () => {
    expect((await providerFetch(`${base}/chat-answer`)).status).toBe(200);
  });

  it("says nothing more of an answer whose text is not a string", async () => {
    const error = await streaming("/number-output").then(
      () => null,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toBe("The model provider answered a streaming request with a single application/json response instead of a stream; check that the server (and any proxy in front of it) supports streaming.");
  });
});

