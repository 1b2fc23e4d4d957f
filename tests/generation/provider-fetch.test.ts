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
  ])("refuses a single %s answer to a streaming request, saying what it was", async (path, type, detail) => {
    const error = await streaming(path).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StreamingNotSupportedError);
    expect((error as Error).message).toContain(`with a single ${type} response instead of a stream`);
    expect((error as Error).message).toContain(detail);
  });
});
