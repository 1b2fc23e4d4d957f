import { APICallError, InvalidResponseDataError, JSONParseError, TypeValidationError } from "ai";
import { describe, expect, it } from "vitest";
import { describeProviderError, isRetryable, retryAfterMs } from "@/lib/generation/describe-error";
import { StreamingNotSupportedError } from "@/lib/generation/provider-fetch";

const httpError = (statusCode: number, responseBody: string | undefined, extra: Partial<ConstructorParameters<typeof APICallError>[0]> = {}) =>
  new APICallError({ message: extra.message ?? "Bad Request", url: "http://model/v1/chat/completions", requestBodyValues: {}, statusCode, responseBody, isRetryable: statusCode >= 500 || statusCode === 429, ...extra });

const networkError = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

describe("describeProviderError: HTTP answers", () => {
  it.each([
    ["OpenAI's {error:{message}}", '{"error":{"message":"This model\'s maximum context length is 8192 tokens","type":"invalid_request_error","code":"context_length_exceeded"}}', "HTTP 400: This model's maximum context length is 8192 tokens (code context_length_exceeded)"],
    ["vLLM's {detail}", '{"object":"error","detail":"The model `llama` does not exist."}', "HTTP 400: The model `llama` does not exist."],
    ["FastAPI's {detail:[{msg}]}", '{"detail":[{"loc":["body","messages"],"msg":"field required"},{"msg":"bad temperature"}]}', "HTTP 400: field required; bad temperature"],
    ["Ollama's {error:string}", '{"error":"model \\"llama9\\" not found, try pulling it first"}', 'HTTP 400: model "llama9" not found, try pulling it first'],
    ["a bare {message}", '{"message":"Input is too long"}', "HTTP 400: Input is too long"],
    ["a text body", "upstream overloaded, try later", "HTTP 400: upstream overloaded, try later"],
    ["an HTML error page", "<html><head><title>502 Bad Gateway</title><style>p{}</style></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>", "HTTP 400: 502 Bad Gateway 502 Bad Gateway nginx"],
    ["an empty body", "", "HTTP 400"],
  ])("keeps the server's own words from %s", (_name, body, expected) => {
    expect(describeProviderError(httpError(400, body))).toBe(`The model provider answered ${expected}`);
  });

  it.each(["Bad Request", "Service Unavailable", "Failed to process error response"])("does not repeat the status line %j as if it were the server's words", (message) => {
    expect(describeProviderError(httpError(503, undefined, { message }))).toBe("The model provider answered HTTP 503");
  });

  it("uses the SDK's message when the body says nothing more", () => {
    expect(describeProviderError(httpError(418, undefined, { message: "I'm a teapot today" }))).toBe("The model provider answered HTTP 418: I'm a teapot today");
  });

  it("never prints [object Object]", () => {
    const weird = httpError(500, '{"error":{"nested":{"deeper":true}}}');
    expect(describeProviderError(weird)).not.toMatch(/object Object/);
    expect(describeProviderError({ error: { code: 500 } })).not.toMatch(/object Object/);
    expect(describeProviderError(Object.create(null))).not.toMatch(/object Object/);
  });
});

describe("describeProviderError: errors inside a stream", () => {
  it("reports an error event in a 200 stream with its words and code, not the status the SDK inferred", () => {
    // @ai-sdk/openai turns a Responses `error` event before any output into an APICallError whose
    // status it guesses from the code ("invalid_api_key" -> 400); the HTTP status really was 200.
    const event = httpError(400, '{"type":"error","code":"invalid_api_key","message":"Incorrect API key provided"}', {
      responseHeaders: { "content-type": "text/event-stream; charset=utf-8" },
      data: { type: "error", code: "invalid_api_key", message: "Incorrect API key provided" },
    });
    expect(describeProviderError(event)).toBe("The model provider reported an error in its stream: Incorrect API key provided (code invalid_api_key)");
  });

  it.each([
    ["OpenRouter's error object", { message: "Provider disconnected unexpectedly", code: 502 }, "Provider disconnected unexpectedly (code 502)"],
    ["a 401 sent as an event", { error: { message: "Unauthorized: bad key", code: 401 } }, "Unauthorized: bad key (code 401)"],
    ["a Responses response.failed frame", { type: "response.failed", response: { error: { code: "server_error", message: "The model failed" } } }, "The model failed (code server_error)"],
  ])("reports %s in the provider's words", (_name, error, expected) => {
    expect(describeProviderError(error)).toBe(`The model provider reported an error in its stream: ${expected}`);
  });

  it("names an unreadable chunk as such, never as a lost connection", () => {
    const json = new JSONParseError({ text: '{"choices":[{"delta":{"content":"half', cause: new SyntaxError("Unexpected end") });
    expect(describeProviderError(json)).toBe('The model provider sent a chunk that is not valid JSON: {"choices":[{"delta":{"content":"half');
    const shape = new TypeValidationError({ value: { choices: "nope" }, cause: new Error("expected array") });
    expect(describeProviderError(shape)).toBe('The model provider sent a chunk in a shape this app cannot read: {"choices":"nope"}');
    expect(describeProviderError(new InvalidResponseDataError({ data: 1, message: "odd" }))).toBe("The model provider sent an invalid response: odd");
  });

  it("says when a streaming request got one JSON document instead", () => {
    expect(describeProviderError(new StreamingNotSupportedError("application/json", "12 characters, not used"))).toMatch(
      /answered a streaming request with a single application\/json response instead of a stream \(12 characters, not used\)/,
    );
  });
});

describe("describeProviderError: network failures", () => {
  it.each([
    [networkError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:11434", { address: "127.0.0.1", port: 11434 }), "connection refused (ECONNREFUSED 127.0.0.1:11434)"],
    [networkError("ENOTFOUND", "getaddrinfo ENOTFOUND ollama.local"), "host not found (ENOTFOUND)"],
    [networkError("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error"), "connection timed out (UND_ERR_CONNECT_TIMEOUT)"],
  ])("explains a request that never got an answer: %s", (cause, words) => {
    const error = new APICallError({ message: `Cannot connect to API: ${cause.message}`, url: "u", requestBodyValues: {}, cause, isRetryable: true });
    expect(describeProviderError(error)).toBe(`Could not reach the model provider: ${words}.`);
  });

  it.each([
    ["ECONNRESET", "connection reset"],
    ["EAI_AGAIN", "host name lookup failed"],
    ["ETIMEDOUT", "connection timed out"],
    ["EPIPE", "connection closed while sending"],
    ["EHOSTUNREACH", "host unreachable"],
    ["UND_ERR_SOCKET", "the other side closed the connection"],
    ["UND_ERR_HEADERS_TIMEOUT", "no response headers in time"],
    ["UND_ERR_BODY_TIMEOUT", "the response body stalled"],
  ])("names %s in words, wherever it is in the cause chain", (code, words) => {
    const deep = Object.assign(new TypeError("terminated"), { cause: Object.assign(new Error("wrapper"), { cause: networkError(code, "low-level") }) });
    expect(describeProviderError(deep)).toBe(`The connection to the model provider was lost before the document was finished (${words} (${code})).`);
  });

  it("does not take an unrelated error code for a network failure", () => {
    expect(describeProviderError(networkError("ERR_INVALID_ARG_TYPE", "bad argument"))).toBe("The model provider failed: bad argument");
    expect(describeProviderError(new Error("socket hang up"))).toBe("The connection to the model provider was lost before the document was finished (the connection closed unexpectedly).");
  });

  it("explains a body that stopped mid-stream with its cause", () => {
    const terminated = Object.assign(new TypeError("terminated"), { cause: networkError("UND_ERR_SOCKET", "other side closed") });
    expect(describeProviderError(terminated)).toBe("The connection to the model provider was lost before the document was finished (the other side closed the connection (UND_ERR_SOCKET)).");
    expect(describeProviderError(new TypeError("terminated"))).toBe("The connection to the model provider was lost before the document was finished (the connection closed unexpectedly).");
  });
});

describe("describeProviderError: untrusted text", () => {
  it("redacts the configured key, sk- keys, Bearer tokens and URL credentials", () => {
    const body = '{"error":{"message":"key my-configured-key-9 rejected; sent Bearer abc.def.ghi-123 and sk-proj-ABCDEFGHIJKLMNOP to https://user:pass@proxy.local/v1"}}';
    const message = describeProviderError(httpError(401, body), ["my-configured-key-9"]);
    expect(message).toBe("The model provider answered HTTP 401: key [redacted] rejected; sent Bearer [redacted] and [redacted] to https://[redacted]@proxy.local/v1");
  });

  it("collapses whitespace and bounds the length", () => {
    const message = describeProviderError(httpError(500, `{"message":"${"line\\n".repeat(300)}"}`));
    expect(message.length).toBeLessThanOrEqual(500);
    expect(message.endsWith("…")).toBe(true);
    expect(message).not.toMatch(/\n/);
  });

  it("describes strings and plain errors", () => {
    expect(describeProviderError("socket closed by peer policy")).toBe("The model provider failed: socket closed by peer policy");
    expect(describeProviderError(new Error("Something odd"))).toBe("The model provider failed: Something odd");
    expect(describeProviderError(42)).toBe("The model provider failed: 42");
  });
});

describe("isRetryable", () => {
  it("retries transient statuses and network failures, not refusals", () => {
    expect(isRetryable(httpError(503, ""))).toBe(true);
    expect(isRetryable(httpError(400, ""))).toBe(false);
    expect(isRetryable(new TypeError("fetch failed"))).toBe(true);
    expect(isRetryable(new StreamingNotSupportedError("application/json", null))).toBe(false);
  });

  it("reads the code of an error object sent in the stream", () => {
    expect(isRetryable({ message: "overloaded", code: 529 })).toBe(true);
    expect(isRetryable({ message: "slow down", code: 429 })).toBe(true);
    expect(isRetryable({ message: "bad key", code: 401 })).toBe(false);
    expect(isRetryable({ error: { message: "bad key", code: "invalid_api_key" } })).toBe(false);
    expect(isRetryable({ message: "oops", code: "server_error" })).toBe(true);
    expect(isRetryable({ message: "flagged", isRetryable: false, code: 500 })).toBe(false);
  });
});

describe("retryAfterMs", () => {
  const limited = (status: number, headers: Record<string, string>) => new APICallError({ message: "x", url: "u", requestBodyValues: {}, statusCode: status, responseHeaders: headers, isRetryable: true });

  it("reads seconds, an HTTP date, and OpenAI's retry-after-ms on 429 and 503", () => {
    expect(retryAfterMs(limited(429, { "retry-after": "7" }))).toBe(7_000);
    expect(retryAfterMs(limited(503, { "retry-after": " 2 " }))).toBe(2_000);
    expect(retryAfterMs(limited(429, { "retry-after": new Date(100_000).toUTCString() }), 40_000)).toBe(60_000);
    expect(retryAfterMs(limited(429, { "retry-after": new Date(0).toUTCString() }), 40_000)).toBe(0);
    expect(retryAfterMs(limited(429, { "retry-after-ms": "1500.5", "retry-after": "9" }))).toBe(1_501);
  });

  it("ignores it on other statuses and when it means nothing", () => {
    expect(retryAfterMs(limited(500, { "retry-after": "7" }))).toBeNull();
    expect(retryAfterMs(limited(429, {}))).toBeNull();
    expect(retryAfterMs(limited(429, { "retry-after": "soon" }))).toBeNull();
    expect(retryAfterMs(new Error("x"))).toBeNull();
  });
});

describe("describeProviderError: edges of the provider's words", () => {
  const event = (data: unknown) => describeProviderError(data);

  it("keeps a status line with more words after it, and the server's words around a status phrase", () => {
    expect(describeProviderError(httpError(400, undefined, { message: "Bad Request: messages must not be empty" }))).toBe("The model provider answered HTTP 400: Bad Request: messages must not be empty");
    expect(describeProviderError(httpError(503, undefined, { message: "Upstream said Service Unavailable" }))).toBe("The model provider answered HTTP 503: Upstream said Service Unavailable");
  });

  it("answers a 300 as an HTTP status, and a 2xx without an event-stream type as an error in the stream", () => {
    expect(describeProviderError(httpError(300, '{"message":"moved"}'))).toBe("The model provider answered HTTP 300: moved");
    expect(describeProviderError(httpError(200, '{"message":"quota exceeded"}'))).toBe("The model provider reported an error in its stream: quota exceeded");
  });

  it("describes an error event with no words of its own by its cause, or else by the SDK's message", () => {
    const headers = { "content-type": "text/event-stream" };
    const cause = networkErrorWithCode("ECONNRESET");
    expect(describeProviderError(httpError(200, undefined, { responseHeaders: headers, message: "Bad Request", cause }))).toBe(
      "The connection to the model provider was lost before the document was finished (connection reset (ECONNRESET)).",
    );
    expect(describeProviderError(httpError(200, undefined, { responseHeaders: headers, message: "stream error" }))).toBe("The model provider reported an error in its stream: stream error");
  });

  it("reads a JSON body with no message as saying nothing (not as text)", () => {
    expect(describeProviderError(httpError(500, '{"unrelated":true}', { message: "Internal Server Error" }))).toBe("The model provider answered HTTP 500");
  });

  it("reduces an HTML page to its words: scripts and styles over several lines dropped, spaces collapsed", () => {
    const page = "<html><script>\nvar secret = 1;\n</script><STYLE>\nbody { color: red }\n</STYLE><p>Gateway   timed\n\n out</p></html>";
    expect(describeProviderError(httpError(504, page))).toBe("The model provider answered HTTP 504: Gateway timed out");
  });

  it("takes blank words for no words", () => {
    expect(describeProviderError(httpError(400, '{"detail":"   "}', { message: "Bad Request" }))).toBe("The model provider answered HTTP 400");
    expect(event({ error: "   " })).toBe('The model provider failed: {"error":" "}');
    expect(event({ message: "  ", error: { message: "the real reason" } })).toBe("The model provider reported an error in its stream: the real reason");
    expect(describeProviderError("")).toBe("The model provider failed: no reason given");
  });

  it("reads FastAPI details that are plain strings", () => {
    expect(describeProviderError(httpError(422, '{"detail":["messages is required",{"msg":"bad temperature"}]}'))).toBe("The model provider answered HTTP 422: messages is required; bad temperature");
  });

  it("looks for the words at most three levels down", () => {
    const nested = (levels: number) => {
      let value: Record<string, unknown> = { message: "deep reason" };
      for (let level = 0; level < levels; level++) value = { error: value };
      return value;
    };
    expect(event(nested(3))).toBe("The model provider reported an error in its stream: deep reason");
    expect(event(nested(4))).toBe(`The model provider failed: ${JSON.stringify(nested(4))}`);
    const detail = (levels: number) => ({ detail: [{ msg: nested(levels) }] });
    expect(event(detail(2))).toBe("The model provider reported an error in its stream: deep reason");
    expect(event(detail(3))).toBe(`The model provider reported an error in its stream: ${JSON.stringify({ msg: nested(3) })}`);
    const failed = (levels: number) => ({ type: "response.failed", response: { error: nested(levels) } });
    expect(event(failed(2))).toBe("The model provider reported an error in its stream: deep reason");
    expect(event(failed(3))).toBe(`The model provider failed: ${JSON.stringify(failed(3))}`);
  });

  it("describes a Responses failure without a response, and an object it cannot serialize, without [object Object]", () => {
    expect(event({ type: "response.failed", response: null })).toBe('The model provider failed: {"type":"response.failed","response":null}');
    const cyclic: Record<string, unknown> = { type: "odd" };
    cyclic.self = cyclic;
    expect(event(cyclic)).toBe("The model provider failed: an unreadable Object");
  });

  it("finds a network code up to six errors down the cause chain, not further", () => {
    const chain = (depth: number) => {
      let error: Error = networkErrorWithCode("ECONNREFUSED");
      for (let level = 0; level < depth; level++) error = Object.assign(new Error(`wrapper ${level}`), { cause: error });
      return error;
    };
    expect(describeProviderError(chain(5))).toBe("The connection to the model provider was lost before the document was finished (connection refused (ECONNREFUSED)).");
    expect(describeProviderError(chain(6))).toBe("The model provider failed: wrapper 5");
  });

  it("names the address without a port when there is none", () => {
    expect(describeProviderError(networkError("EHOSTUNREACH", "unreachable", { address: "10.0.0.9" }))).toBe(
      "The connection to the model provider was lost before the document was finished (host unreachable (EHOSTUNREACH 10.0.0.9)).",
    );
  });

  it("takes a closed connection only from the exact words undici uses", () => {
    expect(describeProviderError(new Error("request terminated by the moderation policy"))).toBe("The model provider failed: request terminated by the moderation policy");
    expect(describeProviderError(new Error("policy: fetch failed"))).toBe("The model provider failed: policy: fetch failed");
  });

  it("collapses every run of whitespace to one space and trims the ends", () => {
    expect(describeProviderError(new Error("quota \n\t  exceeded   "))).toBe("The model provider failed: quota exceeded");
  });

  it("keeps a message of exactly 500 characters whole, and cuts one of 501 to 499 and an ellipsis", () => {
    const prefix = "The model provider failed: ";
    const exact = "m".repeat(500 - prefix.length);
    expect(describeProviderError(new Error(exact))).toBe(`${prefix}${exact}`);
    const over = describeProviderError(new Error(`${exact}n`));
    expect(over).toBe(`${prefix}${exact.slice(0, -1)}…`);
  });

  it("quotes at most 200 characters of a chunk, after collapsing its whitespace, and says when it is empty", () => {
    const quote = (text: string) => describeProviderError(new JSONParseError({ text, cause: new SyntaxError("x") })).replace("The model provider sent a chunk that is not valid JSON: ", "");
    expect(quote("c".repeat(200))).toBe("c".repeat(200));
    expect(quote("c".repeat(201))).toBe(`${"c".repeat(200)}…`);
    expect(quote(`{${" ".repeat(300)}"half`)).toBe('{ "half');
    expect(quote("")).toBe("(empty)");
  });

  it("says exactly that a streaming request got one JSON document", () => {
    expect(describeProviderError(new StreamingNotSupportedError("application/json", "12 characters, not used"))).toBe(new StreamingNotSupportedError("application/json", "12 characters, not used").message);
  });
});

describe("isRetryable and retryAfterMs: edges", () => {
  it("retries codes 408, 409 and 500 in an error event, and an app-side error whatever its code", () => {
    expect(isRetryable({ message: "timeout", code: 408 })).toBe(true);
    expect(isRetryable({ message: "conflict", code: 409 })).toBe(true);
    expect(isRetryable({ message: "server", code: 500 })).toBe(true);
    expect(isRetryable({ message: "teapot", code: 418 })).toBe(false);
    expect(isRetryable(Object.assign(new Error("bad argument"), { code: 400 }))).toBe(true);
  });

  const limited = (headers: Record<string, string>) => new APICallError({ message: "x", url: "u", requestBodyValues: {}, statusCode: 429, responseHeaders: headers, isRetryable: true });

  it("trims OpenAI's retry-after-ms, and reads it only when it is a number", () => {
    expect(retryAfterMs(limited({ "retry-after-ms": " 250 " }))).toBe(250);
    expect(retryAfterMs(limited({ "retry-after-ms": "1500.55" }))).toBe(1_501);
    expect(retryAfterMs(limited({ "retry-after-ms": "abc1500", "retry-after": "9" }))).toBe(9_000);
    expect(retryAfterMs(limited({ "retry-after-ms": "1500abc", "retry-after": "9" }))).toBe(9_000);
  });

  it("reads fractional seconds, never takes a number or a word for a date, and reads all three HTTP date forms", () => {
    expect(retryAfterMs(limited({ "retry-after": "1.5" }))).toBe(1_500);
    for (const value of ["7s", "x7", "soon 7", "7.5.1", ""]) expect(retryAfterMs(limited({ "retry-after": value }))).toBeNull();
    const now = Date.parse("Sun, 06 Nov 1994 08:49:30 GMT");
    expect(retryAfterMs(limited({ "retry-after": "Sun, 06 Nov 1994 08:49:37 GMT" }), now)).toBe(7_000);
    expect(retryAfterMs(limited({ "retry-after": "Sunday, 06-Nov-94 08:49:37 GMT" }), now)).toBe(7_000);
    expect(retryAfterMs(limited({ "retry-after": "Sun Nov  6 08:49:37 1994" }), now + new Date(now).getTimezoneOffset() * 60_000)).toBe(7_000);
  });
});

function networkErrorWithCode(code: string) {
  return Object.assign(new Error(`low-level ${code}`), { code });
}
