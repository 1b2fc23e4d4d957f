/**
 * createLanguageModel against a local HTTP server that records what each API's model sends: the
 * URL, the key, and the options that change what comes back (usage in the stream, the JSON schema).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { JSONSchema7, LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { createLanguageModel } from "@/lib/generation/provider";

interface Recorded {
  url: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

const CHAT_STREAM = [
  { choices: [{ index: 0, delta: { role: "assistant", content: "Hi 🦀" }, finish_reason: null }] },
  { choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
]
  .map((chunk) => `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", ...chunk })}\n\n`)
  .join("") + "data: [DONE]\n\n";

let server: http.Server;
let base: string;
let recorded: Recorded[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      recorded.push({ url: request.url ?? "", authorization: request.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
      if (request.url?.endsWith("/chat/completions")) {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(CHAT_STREAM);
      } else {
        // The Responses API's request is all these tests read: it is refused.
        response.writeHead(400, { "content-type": "application/json" });
        response.end('{"error":{"message":"recorded"}}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  recorded = [];
});

const OUTLINE_SCHEMA: JSONSchema7 = { type: "object", properties: { title: { type: "string" } }, required: ["title"], additionalProperties: false };

async function stream(env: Record<string, string>, structured = false) {
  const model = createLanguageModel(parseConfig({ OPENAI_MODEL: "m", ...env }), "m") as LanguageModelV3;
  const parts: LanguageModelV3StreamPart[] = [];
  try {
    const { stream: body } = await model.doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "Write" }] }],
      ...(structured ? { responseFormat: { type: "json", schema: OUTLINE_SCHEMA, name: "outline" } } : {}),
    });
    const reader = body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value);
  } catch (error) {
    return { parts, error };
  }
  return { parts, error: null };
}

describe("the model a configuration makes", () => {
  it("speaks Chat Completions to OPENAI_BASE_URL, with no key, asking for usage in the stream", async () => {
    const { parts, error } = await stream({ OPENAI_BASE_URL: base });
    expect(error).toBeNull();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ url: "/v1/chat/completions", authorization: undefined });
    expect(recorded[0]!.body).toMatchObject({ model: "m", stream: true, stream_options: { include_usage: true } });
    expect(parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe("Hi 🦀");
    const finish = parts.find((part) => part.type === "finish");
    expect(finish?.type === "finish" && finish.usage.outputTokens.total).toBe(2);
  });

  it("sends the configured key, and asks a compatible server for the JSON schema itself", async () => {
    await stream({ OPENAI_BASE_URL: base, OPENAI_API_KEY: "sk-local-test-key" }, true);
    expect(recorded[0]?.authorization).toBe("Bearer sk-local-test-key");
    expect(recorded[0]!.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "outline", schema: OUTLINE_SCHEMA } });
  });

  it("speaks the Responses API to the same base URL when OPENAI_API=responses, with a stand-in key when none is set", async () => {
    const { error } = await stream({ OPENAI_BASE_URL: base, OPENAI_API: "responses" });
    expect(error).toMatchObject({ statusCode: 400 });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ url: "/v1/responses", authorization: "Bearer not-needed" });
    expect(recorded[0]!.body).toMatchObject({ model: "m", stream: true });
  });
});
