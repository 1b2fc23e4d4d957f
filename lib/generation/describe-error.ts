import "server-only";
import { APICallError, InvalidResponseDataError, JSONParseError, TypeValidationError } from "ai";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { StreamingNotSupportedError } from "./provider-fetch";

/**
 * The one place that turns a provider failure into a sentence a user can act on: an HTTP status
 * with its body (`{error:{message}}`, `{error:"…"}`, `{message}`, `{detail}`, text or HTML), an
 * error object sent inside the stream (OpenAI, OpenRouter, vLLM), a chunk that cannot be read, a
 * network error with its cause. Provider text is untrusted: secrets are redacted, whitespace is
 * collapsed and the length is bounded. Never "[object Object]", never a cause it cannot show.
 */
const MAX_MESSAGE_CHARS = 500;
const MAX_SNIPPET_CHARS = 200;

export function describeProviderError(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const message = redactSecrets(describe(error), secrets).replace(/\s+/g, " ").trim();
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}

function describe(error: unknown): string {
  if (error instanceof StreamingNotSupportedError) return error.message;
  if (APICallError.isInstance(error)) return describeApiCall(error);
  if (JSONParseError.isInstance(error)) return `The model provider sent a chunk that is not valid JSON: ${snippet(error.text)}`;
  if (TypeValidationError.isInstance(error)) return `The model provider sent a chunk in a shape this app cannot read: ${snippet(stringify(error.value))}`;
  if (InvalidResponseDataError.isInstance(error)) return `The model provider sent an invalid response: ${error.message}`;
  const network = networkCause(error);
  if (network) return `The connection to the model provider was lost before the document was finished (${network}).`;
  if (typeof error === "string") return `The model provider failed: ${error || "no reason given"}`;
  const detail = detailOf(error);
  if (detail && !(error instanceof Error)) return `The model provider reported an error in its stream: ${detail}`;
  if (error instanceof Error) return `The model provider failed: ${error.message || error.name}`;
  return `The model provider failed: ${snippet(stringify(error))}`;
}

function describeApiCall(error: APICallError): string {
  const status = error.statusCode;
  if (status === undefined) {
    // The request never got an answer: refused, unresolvable, reset before the headers.
    return `Could not reach the model provider: ${networkCause(error.cause) ?? error.message}.`;
  }
  const detail = detailOf(error.data) ?? detailOf(parseBody(error.responseBody));
  if (isEventStream(error.responseHeaders) || status < 300) {
    // An error event inside a 200 stream (its status, if any, was inferred by the SDK, not sent).
    if (detail) return `The model provider reported an error in its stream: ${detail}`;
    if (error.cause) return describe(error.cause);
    return `The model provider reported an error in its stream: ${error.message}`;
  }
  const body = detail ?? bodyText(error.responseBody) ?? (isGenericMessage(error.message) ? null : error.message);
  return `The model provider answered HTTP ${status}${body ? `: ${body}` : ""}`;
}

function isEventStream(headers: Record<string, string> | undefined): boolean {
  // Stryker disable next-line StringLiteral: a missing type tests as "undefined", which is no event stream either.
  return /text\/event-stream/i.test(headers?.["content-type"] ?? "");
}

/** SDK messages that only restate the status line. */
function isGenericMessage(message: string): boolean {
  return !message || /^(Bad Request|Unauthorized|Forbidden|Not Found|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|Failed to process error response)$/i.test(message);
}

function parseBody(body: string | undefined): unknown {
  try {
    // An empty or missing body throws too (as would any other non-JSON stand-in): it says nothing.
    // Stryker disable next-line StringLiteral
    return JSON.parse(body ?? "");
    // Stryker disable next-line BlockStatement: an empty catch returns undefined just the same.
  } catch {
    return undefined;
  }
}

/** A text or HTML body (a proxy's error page), reduced to its words. */
function bodyText(body: string | undefined): string | null {
  if (!body?.trim() || parseBody(body) !== undefined) return null;
  const text = body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return text ? snippet(text) : null;
}

// Arrays pass too: they have none of the fields read from a record, so they describe as nothing either way.
function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

/**
 * The provider's own words from an error body or event, with its code: `{error:{message,code}}`,
 * `{error:"…"}` (Ollama), `{message}`, `{detail:"…"}` or `{detail:[{msg}]}` (vLLM, FastAPI),
 * `{response:{error}}` (Responses API `response.failed`).
 */
function detailOf(value: unknown, depth = 0): string | null {
  if (typeof value === "string") return value.trim() || null;
  const record = asRecord(value);
  if (!record || depth > 3) return null;
  let message: string | null = null;
  // Blank words are no words; the words' own spaces are collapsed with the whole message's.
  if (typeof record.message === "string" && record.message.trim()) message = record.message;
  else if (record.error !== undefined) message = detailOf(record.error, depth + 1);
  else if (typeof record.detail === "string") message = record.detail.trim() || null;
  else if (Array.isArray(record.detail)) message = record.detail.map((item) => detailOf(asRecord(item)?.msg ?? item, depth + 1) ?? stringify(item)).join("; ");
  else message = detailOf(asRecord(record.response)?.error, depth + 1);
  if (!message) return null;
  const code = record.code ?? asRecord(record.error)?.code;
  return (typeof code === "string" || typeof code === "number") && !message.includes(String(code)) ? `${message} (code ${code})` : message;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed while sending",
  EHOSTUNREACH: "host unreachable",
  UND_ERR_SOCKET: "the other side closed the connection",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
  UND_ERR_BODY_TIMEOUT: "the response body stalled",
};

/** A network failure somewhere in the cause chain, in words ("connection refused (ECONNREFUSED 127.0.0.1:1)"), or null. */
function networkCause(error: unknown): string | null {
  let current: unknown = error;
  let terminated = false;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const { code, address, port } = current as Error & { code?: unknown; address?: unknown; port?: unknown };
    // Stryker disable next-line ConditionalExpression: the type test narrows for TypeScript; no other code names a network failure.
    if (typeof code === "string" && NETWORK_CODES[code]) {
      const where = typeof address === "string" ? ` ${address}${typeof port === "number" ? `:${port}` : ""}` : "";
      return `${NETWORK_CODES[code]} (${code}${where})`;
    }
    // undici: "terminated" (body read failed), "fetch failed" (request failed), "other side closed"
    if (/^(terminated|fetch failed|other side closed|socket hang up)$/i.test(current.message)) terminated = true;
    current = (current as { cause?: unknown }).cause;
  }
  return terminated ? "the connection closed unexpectedly" : null;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cyclic object (or one with a BigInt): its class rather than "[object Object]".
    return `an unreadable ${Object.prototype.toString.call(value).slice(8, -1)}`;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_SNIPPET_CHARS ? `${flat.slice(0, MAX_SNIPPET_CHARS)}…` : flat || "(empty)";
}

/** Whether another attempt could succeed: transient statuses and network failures, not refusals. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof StreamingNotSupportedError) return false;
  if (APICallError.isInstance(error)) return error.isRetryable;
  const record = asRecord(error);
  if (record && !(error instanceof Error)) {
    if (typeof record.isRetryable === "boolean") return record.isRetryable;
    const code = record.code ?? asRecord(record.error)?.code;
    if (typeof code === "number") return code === 408 || code === 409 || code === 429 || code >= 500;
    // Stryker disable next-line ConditionalExpression: what is left is a string or no code, and "undefined" matches no refusal.
    if (typeof code === "string") return !/auth|permission|invalid|not_found|unauthori|forbidden|quota|context_length|content_filter/i.test(code);
  }
  return true; // network failures, unreadable chunks, unknown errors: worth another try before the first token
}

/**
 * How long a 429 or 503 asked us to wait, in ms: `retry-after-ms` (OpenAI), or `Retry-After` in
 * seconds or as an HTTP date. Null when the answer says nothing usable.
 */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | null {
  if (!APICallError.isInstance(error) || (error.statusCode !== 429 && error.statusCode !== 503)) return null;
  const headers = error.responseHeaders ?? {};
  const milliseconds = headers["retry-after-ms"]?.trim();
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Math.ceil(Number(milliseconds));
  const value = headers["retry-after"]?.trim() ?? "";
  // Seconds (a fraction too, which some servers send), or an HTTP date, which always has a time of day:
  // Date.parse alone would read "1.5" or "soon 7" as dates in 2001.
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1_000);
  if (!/\d:\d\d/.test(value)) return null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
