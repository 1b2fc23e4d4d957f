/**
 * A small fake OpenAI-compatible HTTP server (Chat Completions only) for tests.
 *
 * Nothing in CI can reach a real model, so unit/integration tests (in-process)
 * and e2e tests (via ./cli.ts as a separate process) talk to this server over a
 * real socket. It streams a markdown document as `chat.completion.chunk` SSE
 * events exactly like OpenAI does, and can inject the failures the app must
 * survive: HTTP 500s before streaming, mid-stream connection resets, stalls,
 * and `finish_reason: "length"` truncation. It also understands the app's
 * "continue" requests ([user prompt, assistant text so far, user "continue"])
 * and streams only the remainder of the document.
 *
 * Only node:http / node:fs are used on purpose: no extra dependencies.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";

import { DEFAULT_DOCUMENT } from "./documents";
import {
  faultApplies,
  PARALLEL_SCENARIO_DEFAULTS,
  type ParallelScenarioFields,
  plannedAnswer,
  plannedRequest,
  requestKey,
  validateParallelField,
} from "./parallel-scenario";
import { createRepairResponder, validateRepairScript, type RepairAction, type RepairScript } from "./repair-scenarios";

export interface Scenario extends ParallelScenarioFields {
  /** Markdown streamed when no topic in `documentsByTopic` matches. */
  document: string;
  /** Topic (case-insensitive substring of the user prompt) -> document to stream instead. */
  documentsByTopic: Record<string, string>;
  /** UTF-16 code units per SSE content chunk. */
  chunkSize: number;
  /** Delay between content chunks. */
  delayMs: number;
  /** Delay (after the response headers) before the first chunk. */
  firstTokenDelayMs: number;
  /** Answer the next N chat requests with an OpenAI-style JSON error (decremented per request). */
  failBeforeStream: number;
  /** HTTP status used by `failBeforeStream` (default 500; e.g. 429 to simulate rate limiting). */
  failStatus: number;
  /** Error message of `failBeforeStream` answers and of scripted repair `http-500`s; "{authorization}" is replaced by the request's Authorization header, as some providers quote it. */
  failMessage: string | null;
  /** Destroy the socket (no terminating chunk) once this many chars were sent in a response. */
  resetAtChar: number | null;
  /** Stop sending (connection stays open) once this many chars were sent in a response. */
  stallAtChar: number | null;
  /** End normally with finish_reason "length" once this many chars were sent in a response. */
  lengthAtChar: number | null;
  /** If true, each reset/stall/length fault fires for the first request reaching it and is then cleared. */
  faultOnce: boolean;
  /** How section-repair requests are answered (./repair-scenarios.ts); null: each section as it is. */
  repair: RepairScript | null;
}

export type FaultKind = "reset" | "stall" | "length";

export type RequestOutcome =
  | "streaming" // still being served
  | "stop" // ended normally, finish_reason "stop"
  | "length" // ended normally, finish_reason "length"
  | "http-error" // answered with failBeforeStream's error status
  | "bad-request" // invalid JSON / missing messages (HTTP 400)
  | "reset" // socket destroyed by the resetAtChar fault
  | "stall" // stallAtChar fault hit; connection still open
  | "client-closed" // client went away before the end (see closedByClient)
  | "server-closed"; // fake server was closed while this response was open

export interface ChatMessage {
  role: string;
  content?: string | Array<{ type?: string; text?: string }> | null;
  [key: string]: unknown;
}

export interface ChatRequestBody {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  [key: string]: unknown;
}

export interface RecordedRequest {
  /** 1-based, increasing per server instance. */
  id: number;
  path: string;
  /** Parsed JSON request body (null if it was not valid JSON). */
  body: ChatRequestBody | null;
  /** Date.now() when the request arrived. */
  startedAt: number;
  /** Date.now() when the response was ended/closed, null while open. */
  endedAt: number | null;
  /** The client closed the connection before the server finished the response. */
  closedByClient: boolean;
  /** The server ended the response cleanly (normal stream end, "length" end, or an HTTP error body). */
  finished: boolean;
  /** Document characters (UTF-16 code units) sent as content in this response. */
  servedChars: number;
  status: number;
  stream: boolean;
  model: string | null;
  /** "default" or the matching key of `documentsByTopic`. */
  documentKey: string;
  /** The request carried an assistant message after the user prompt. */
  isContinuation: boolean;
  /** Length of the accepted assistant prefix (0 unless continuing). */
  continuationChars: number;
  /** The assistant text was not a prefix of the document, so the whole document was streamed. */
  prefixMismatch: boolean;
  /** The fault injected into this response, if any. */
  fault: FaultKind | null;
  /** What the request asked for (see ./parallel-scenario.ts): "outline", a section ("7", "5.2"), or "single". */
  planned: string;
  finishReason: "stop" | "length" | null;
  outcome: RequestOutcome;
  /** A section-repair request: which section, which attempt, what it was answered with. */
  repair: { section: number; attempt: number; action: RepairAction } | null;
}

/** JSON shape returned by GET /__control/requests (no bodies). */
export interface RequestSummary extends Omit<RecordedRequest, "body"> {
  messagesCount: number;
  /** First 200 chars of the last user message. */
  lastUserMessage: string;
}

export interface FakeOpenAI {
  /** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  /** Merge into the current scenario (throws on invalid values). */
  setScenario(s: Partial<Scenario>): void;
  /** Back to the defaults the server was started with. */
  resetScenario(): void;
  /** Current scenario (a copy). */
  getScenario(): Scenario;
  /** Every chat completion request, in arrival order; entries update live. */
  requests: RecordedRequest[];
  /** Empties `requests` (same array instance). */
  clearRequests(): void;
  /** Resolves once predicate(requests) is true; rejects after timeoutMs (default 5000). */
  waitFor(predicate: (reqs: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Destroys open sockets and stops listening. Idempotent. */
  close(): Promise<void>;
}

export interface StartFakeOpenAIOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Overrides of the built-in defaults; resetScenario() returns to these. */
  defaults?: Partial<Scenario>;
  /** Called when a content chunk was handed to the kernel (benchmarks measure latency from here). */
  onChunk?: (request: RecordedRequest, servedChars: number, sentAt: number) => void;
}

export const BUILTIN_SCENARIO: Readonly<Scenario> = Object.freeze({
  document: DEFAULT_DOCUMENT,
  documentsByTopic: {},
  chunkSize: 24,
  delayMs: 5,
  firstTokenDelayMs: 0,
  failBeforeStream: 0,
  failStatus: 500,
  failMessage: null,
  resetAtChar: null,
  stallAtChar: null,
  lengthAtChar: null,
  faultOnce: true,
  repair: null,
  ...PARALLEL_SCENARIO_DEFAULTS,
});

export const FAKE_MODELS = ["fake-model", "fake-model-mini"] as const;

const SCENARIO_KEYS = Object.keys(BUILTIN_SCENARIO) as Array<keyof Scenario>;
const FAULT_FIELDS = { reset: "resetAtChar", stall: "stallAtChar", length: "lengthAtChar" } as const;
const FAULT_PRIORITY: FaultKind[] = ["reset", "stall", "length"];
const MAX_BODY_BYTES = 20 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Scenario validation
// ---------------------------------------------------------------------------

function isNonNegInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

/** Validates a partial scenario coming from tests or from HTTP JSON. Throws with a readable message. */
export function validateScenarioPatch(patch: unknown): Partial<Scenario> {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    throw new Error("scenario must be a JSON object");
  }
  const out: Partial<Scenario> = {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === undefined) continue;
    switch (key) {
      case "document":
        if (typeof value !== "string") throw new Error("document must be a string");
        out.document = value;
        break;
      case "documentsByTopic": {
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          throw new Error("documentsByTopic must be an object of topic -> markdown");
        }
        const map: Record<string, string> = {};
        for (const [topic, doc] of Object.entries(value as Record<string, unknown>)) {
          if (topic.trim() === "") throw new Error("documentsByTopic keys must be non-empty");
          if (typeof doc !== "string") throw new Error(`documentsByTopic[${JSON.stringify(topic)}] must be a string`);
          map[topic] = doc;
        }
        out.documentsByTopic = map;
        break;
      }
      case "chunkSize":
        if (!isNonNegInt(value) || value < 1) throw new Error("chunkSize must be an integer >= 1");
        out.chunkSize = value;
        break;
      case "delayMs":
      case "firstTokenDelayMs":
      case "failBeforeStream":
        if (!isNonNegInt(value)) throw new Error(`${key} must be an integer >= 0`);
        out[key] = value;
        break;
      case "failStatus":
        if (!isNonNegInt(value) || value < 400 || value > 599) throw new Error("failStatus must be 400..599");
        out.failStatus = value;
        break;
      case "failMessage":
        if (value !== null && typeof value !== "string") throw new Error("failMessage must be null or a string");
        out.failMessage = value;
        break;
      case "resetAtChar":
      case "stallAtChar":
      case "lengthAtChar":
        if (value !== null && !isNonNegInt(value)) throw new Error(`${key} must be null or an integer >= 0`);
        out[key] = value;
        break;
      case "faultOnce":
        if (typeof value !== "boolean") throw new Error("faultOnce must be a boolean");
        out.faultOnce = value;
        break;
      case "repair":
        out.repair = validateRepairScript(value);
        break;
      default: {
        const parallel = validateParallelField(key, value);
        if (parallel) {
          Object.assign(out, parallel);
          break;
        }
        throw new Error(`unknown scenario field ${JSON.stringify(key)} (known: ${SCENARIO_KEYS.join(", ")})`);
      }
    }
  }
  return out;
}

function cloneScenario(s: Scenario): Scenario {
  return { ...s, documentsByTopic: { ...s.documentsByTopic } };
}

// ---------------------------------------------------------------------------
// Request interpretation helpers
// ---------------------------------------------------------------------------

export function messageText(m: ChatMessage | undefined): string {
  if (!m) return "";
  const c = m.content;
  if (typeof c === "string") return c;
  if (Array.isArray(c)) {
    return c.map((p) => (p && typeof p.text === "string" && (p.type === undefined || p.type === "text") ? p.text : "")).join("");
  }
  return "";
}

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === "user") return messageText(messages[i]);
  }
  return "";
}

/**
 * Picks the document for a request. Order: a `TOPIC: ...` line (the master
 * prompt's placeholder) in any message, then the first user message, then all
 * user/system text. Longer topic keys win over shorter ones.
 */
function chooseDocument(s: Scenario, messages: ChatMessage[]): { key: string; text: string } {
  const topics = Object.keys(s.documentsByTopic).sort((a, b) => b.length - a.length);
  if (topics.length > 0) {
    const all = messages.filter((m) => m.role === "user" || m.role === "system" || m.role === "developer").map(messageText);
    const topicLines = all.flatMap((t) => Array.from(t.matchAll(/^[ \t]*TOPIC:[ \t]*(.+)$/gim), (m) => m[1] ?? ""));
    const firstUser = messageText(messages.find((m) => m.role === "user"));
    for (const haystack of [topicLines.join("\n"), firstUser, all.join("\n")]) {
      const h = haystack.toLowerCase();
      const hit = topics.find((t) => h.includes(t.toLowerCase()));
      if (hit !== undefined) return { key: hit, text: s.documentsByTopic[hit] ?? "" };
    }
  }
  return { key: "default", text: s.document };
}

interface Continuation {
  isContinuation: boolean;
  prefixChars: number;
  prefixMismatch: boolean;
}

/** Detects [user prompt, assistant "so far", user "continue"] and how much of the doc was already produced. */
function detectContinuation(doc: string, messages: ChatMessage[]): Continuation {
  const firstUser = messages.findIndex((m) => m.role === "user");
  if (firstUser < 0) return { isContinuation: false, prefixChars: 0, prefixMismatch: false };
  const assistantTexts = messages.slice(firstUser + 1).filter((m) => m.role === "assistant").map(messageText);
  if (assistantTexts.length === 0) return { isContinuation: false, prefixChars: 0, prefixMismatch: false };
  // Usually a single assistant message holds everything so far; after several
  // resumes an app might send one assistant message per attempt instead.
  const candidates = [assistantTexts[assistantTexts.length - 1] ?? "", assistantTexts.join("")];
  for (const c of candidates) {
    if (doc.startsWith(c)) return { isContinuation: true, prefixChars: c.length, prefixMismatch: false };
  }
  return { isContinuation: true, prefixChars: 0, prefixMismatch: true };
}

function approxTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function summarize(r: RecordedRequest): RequestSummary {
  const { body, ...rest } = r;
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  return { ...rest, messagesCount: messages.length, lastUserMessage: lastUserText(messages).slice(0, 200) };
}

function openAIError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

// ---------------------------------------------------------------------------
// Low-level I/O helpers (all cancellable; nothing outlives the response)
// ---------------------------------------------------------------------------

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Writes and waits until the data is handed to the kernel (also gives backpressure). */
function writeFlushed(res: http.ServerResponse, data: string, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted || res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    res.write(data, (err) => {
      signal.removeEventListener("abort", onAbort);
      resolve(!err && !signal.aborted);
    });
  });
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

interface Ctx {
  rec: RecordedRequest;
  res: http.ServerResponse;
  signal: AbortSignal;
  /** Set before the server itself ends/destroys the connection, so 'close' is not blamed on the client. */
  serverClosed: boolean;
}

export async function startFakeOpenAI(options: StartFakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = options.host ?? "127.0.0.1";
  const defaults: Scenario = { ...cloneScenario(BUILTIN_SCENARIO as Scenario), ...validateScenarioPatch(options.defaults ?? {}) };
  let scenario = cloneScenario(defaults);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const listeners = new Set<() => void>();
  let nextId = 1;
  let closing = false;
  const repairs = createRepairResponder();
  let closePromise: Promise<void> | null = null;

  const notify = () => {
    for (const l of [...listeners]) l();
  };

  // -- faults (read live from the scenario so faultOnce works across concurrent requests)
  const faultReached = (pos: number, rec: RecordedRequest): { kind: FaultKind; at: number } | null => {
    if (!faultApplies(scenario.faultTarget, rec.planned)) return null;
    let best: { kind: FaultKind; at: number } | null = null;
    for (const kind of FAULT_PRIORITY) {
      const at = scenario[FAULT_FIELDS[kind]];
      if (at !== null && at <= pos && (best === null || at < best.at)) best = { kind, at };
    }
    return best;
  };
  const nextFaultBoundary = (pos: number, rec: RecordedRequest): number => {
    if (!faultApplies(scenario.faultTarget, rec.planned)) return Infinity;
    let min = Infinity;
    for (const kind of FAULT_PRIORITY) {
      const at = scenario[FAULT_FIELDS[kind]];
      if (at !== null && at > pos && at < min) min = at;
    }
    return min;
  };
  const consumeFault = (kind: FaultKind) => {
    if (scenario.faultOnce) scenario[FAULT_FIELDS[kind]] = null;
  };

  const finishWith = async (ctx: Ctx, reason: "stop" | "length", base: Record<string, unknown>, includeUsage: boolean, promptChars: number) => {
    const { res, rec, signal } = ctx;
    const frames = [
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: reason }], ...(includeUsage ? { usage: null } : {}) })}\n\n`,
    ];
    if (includeUsage) {
      const prompt_tokens = approxTokens(promptChars);
      const completion_tokens = approxTokens(rec.servedChars);
      frames.push(
        `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens } })}\n\n`,
      );
    }
    frames.push("data: [DONE]\n\n");
    if (!(await writeFlushed(res, frames.join(""), signal))) return;
    rec.finishReason = reason;
    ctx.serverClosed = true;
    res.end();
  };

  const streamCompletion = async (
    ctx: Ctx,
    text: string,
    snap: Scenario,
    includeUsage: boolean,
    promptChars: number,
    requestFault: { kind: FaultKind; at: number } | null = null,
  ) => {
    const { res, rec, signal } = ctx;
    const base = {
      id: `chatcmpl-fake${rec.id}`,
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model: rec.model ?? "fake-model",
      system_fingerprint: "fp_fake",
    };
    const frame = (delta: Record<string, unknown>) =>
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) })}\n\n`;

    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-request-id": `fake-req-${rec.id}`,
    });
    res.flushHeaders();

    if (!(await sleep(snap.firstTokenDelayMs, signal))) return;
    if (!(await writeFlushed(res, frame({ role: "assistant", content: "" }), signal))) return;

    let pos = 0;
    for (;;) {
      const own = requestFault && requestFault.at <= pos ? requestFault.kind : null;
      const fault = own ?? faultReached(pos, rec)?.kind;
      if (fault) {
        if (!own) consumeFault(fault);
        rec.fault = fault;
        notify();
        if (fault === "length") return finishWith(ctx, "length", base, includeUsage, promptChars);
        if (fault === "stall") {
          rec.outcome = "stall";
          notify();
          return; // keep the socket open, send nothing; 'close' cleans up
        }
        rec.outcome = "reset";
        ctx.serverClosed = true;
        rec.endedAt = Date.now();
        notify();
        (res.socket ?? res).destroy();
        return;
      }
      if (pos >= text.length) return finishWith(ctx, "stop", base, includeUsage, promptChars);
      if (pos > 0 && !(await sleep(snap.delayMs, signal))) return;

      const faultAt = Math.min(nextFaultBoundary(pos, rec), requestFault && requestFault.at > pos ? requestFault.at : Infinity); // re-read after the sleep
      let end = Math.min(pos + snap.chunkSize, text.length, faultAt);
      // Don't split a surrogate pair unless a fault position demands it.
      if (end < text.length && end < faultAt && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end += 1;
      if (!(await writeFlushed(res, frame({ content: text.slice(pos, end) }), signal))) return;
      rec.servedChars += end - pos;
      pos = end;
      options.onChunk?.(rec, rec.servedChars, performance.now());
      notify();
    }
  };

  const respondNonStreaming = (ctx: Ctx, text: string, promptChars: number) => {
    const { res, rec } = ctx;
    let content = text;
    let reason: "stop" | "length" = "stop";
    // Faults whose position lies within the answer apply to non-streaming calls too.
    const fault = faultReached(text.length, rec);
    if (fault) {
      consumeFault(fault.kind);
      rec.fault = fault.kind;
      if (fault.kind === "stall") {
        rec.outcome = "stall";
        notify();
        return;
      }
      if (fault.kind === "reset") {
        rec.outcome = "reset";
        rec.endedAt = Date.now();
        ctx.serverClosed = true;
        notify();
        (res.socket ?? res).destroy();
        return;
      }
      content = text.slice(0, fault.at);
      reason = "length";
    }
    rec.servedChars = content.length;
    rec.finishReason = reason;
    const prompt_tokens = approxTokens(promptChars);
    const completion_tokens = approxTokens(content.length);
    ctx.serverClosed = true;
    sendJson(res, 200, {
      id: `chatcmpl-fake${rec.id}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: rec.model ?? "fake-model",
      system_fingerprint: "fp_fake",
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: reason }],
      usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
    });
  };

  const handleChat = async (req: http.IncomingMessage, res: http.ServerResponse, urlPath: string) => {
    const raw = await readBody(req);
    let body: ChatRequestBody | null = null;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as ChatRequestBody;
    } catch {
      body = null;
    }
    const rec: RecordedRequest = {
      id: nextId++,
      path: urlPath,
      body,
      startedAt: Date.now(),
      endedAt: null,
      closedByClient: false,
      finished: false,
      servedChars: 0,
      status: 200,
      stream: body?.stream === true,
      model: typeof body?.model === "string" ? body.model : null,
      documentKey: "default",
      isContinuation: false,
      continuationChars: 0,
      prefixMismatch: false,
      fault: null,
      planned: "single",
      finishReason: null,
      outcome: "streaming",
      repair: null,
    };
    requests.push(rec);
    const ac = new AbortController();
    const ctx: Ctx = { rec, res, signal: ac.signal, serverClosed: false };
    res.on("finish", () => {
      rec.finished = true;
      if (rec.outcome === "streaming") rec.outcome = rec.finishReason ?? "stop";
    });
    res.on("close", () => {
      ac.abort();
      if (!res.writableFinished && !ctx.serverClosed) {
        if (closing) {
          rec.outcome = "server-closed";
        } else {
          rec.closedByClient = true;
          rec.outcome = "client-closed";
        }
      }
      rec.endedAt ??= Date.now();
      notify();
    });
    notify();

    const messages = Array.isArray(body?.messages) ? body.messages : null;
    if (!body || !messages) {
      rec.status = 400;
      rec.outcome = "bad-request";
      ctx.serverClosed = true;
      sendJson(res, 400, openAIError(body ? "'messages' is a required property" : "We could not parse the JSON body of your request.", "invalid_request_error"));
      return;
    }
    const planned = plannedRequest(messages);
    rec.planned = requestKey(planned);
    const responseFormat = body.response_format as { type?: unknown } | undefined;
    if (scenario.refuseResponseFormat && responseFormat?.type === "json_schema") {
      rec.status = 400;
      rec.outcome = "http-error";
      ctx.serverClosed = true;
      sendJson(res, 400, openAIError("response_format json_schema is not supported by this server (fake-openai refuseResponseFormat).", "invalid_request_error"));
      return;
    }
    if (scenario.failBeforeStream > 0 && faultApplies(scenario.faultTarget, rec.planned)) {
      scenario.failBeforeStream -= 1;
      rec.status = scenario.failStatus;
      rec.outcome = "http-error";
      ctx.serverClosed = true;
      sendJson(
        res,
        scenario.failStatus,
        openAIError(
          scenario.failMessage !== null
            ? scenario.failMessage.replaceAll("{authorization}", String(req.headers.authorization ?? ""))
            : scenario.failStatus === 429
              ? "Rate limit reached (fake-openai injected failure)."
              : "The server had an error while processing your request. (fake-openai injected failure)",
          scenario.failStatus === 429 ? "requests" : "server_error",
          scenario.failStatus === 429 ? "rate_limit_exceeded" : null,
        ),
      );
      return;
    }

    const snap = cloneScenario(scenario);
    let chosen = chooseDocument(snap, messages);
    if (planned) {
      // An outline or one section of the chosen document (see ./parallel-scenario.ts).
      const answer = plannedAnswer(chosen.text, planned, snap);
      if (answer.consumeInvalidOnce) scenario.outlineFormat = "json";
      chosen.text = answer.text;
    }
    // Section-repair requests are answered by ./repair-scenarios.ts.
    const repair = planned ? null : repairs.answer(snap.repair, messages, chosen);
    if (repair) {
      rec.repair = { section: repair.section, attempt: repair.attempt, action: repair.action };
      if (repair.action === "http-500") {
        rec.status = 500;
        rec.outcome = "http-error";
        ctx.serverClosed = true;
        // `failMessage`, when set, words this failure too (quoting the Authorization header as some providers do).
        const message = snap.failMessage?.replaceAll("{authorization}", String(req.headers.authorization ?? "")) ?? "The server had an error while processing your request. (fake-openai scripted repair failure)";
        sendJson(res, 500, openAIError(message, "server_error"));
        return;
      }
      chosen = { key: chosen.key, text: repair.text };
    }
    const cont = detectContinuation(chosen.text, messages);
    rec.documentKey = chosen.key;
    rec.isContinuation = cont.isContinuation;
    rec.continuationChars = cont.prefixChars;
    rec.prefixMismatch = cont.prefixMismatch;
    const remainder = chosen.text.slice(cont.prefixChars);
    const promptChars = messages.reduce((n, m) => n + messageText(m).length, 0);
    notify();

    if (rec.stream) {
      const includeUsage = body.stream_options?.include_usage === true;
      const pace = repair ? { ...snap, chunkSize: snap.repair?.chunkSize ?? snap.chunkSize, delayMs: snap.repair?.delayMs ?? snap.delayMs } : snap;
      await streamCompletion(ctx, remainder, pace, includeUsage, promptChars, repair?.fault ?? null);
    } else {
      respondNonStreaming(ctx, remainder, promptChars);
    }
  };

  const handleControl = async (req: http.IncomingMessage, res: http.ServerResponse, urlPath: string) => {
    const method = req.method ?? "GET";
    if (urlPath === "/__control/scenario" && method === "POST") {
      try {
        const raw = await readBody(req);
        const parsed: unknown = raw.trim() === "" ? {} : JSON.parse(raw);
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("body must be a JSON object");
        const { documentFile, documentFilesByTopic, ...rest } = parsed as Record<string, unknown>;
        const patch = validateScenarioPatch(rest);
        if (documentFile !== undefined) {
          if (typeof documentFile !== "string") throw new Error("documentFile must be a path string");
          patch.document = await readFile(path.resolve(documentFile), "utf8");
        }
        if (documentFilesByTopic !== undefined) {
          if (!documentFilesByTopic || typeof documentFilesByTopic !== "object") throw new Error("documentFilesByTopic must be an object");
          const map: Record<string, string> = { ...(patch.documentsByTopic ?? {}) };
          for (const [topic, file] of Object.entries(documentFilesByTopic as Record<string, unknown>)) {
            if (typeof file !== "string") throw new Error(`documentFilesByTopic[${JSON.stringify(topic)}] must be a path string`);
            map[topic] = await readFile(path.resolve(file), "utf8");
          }
          patch.documentsByTopic = validateScenarioPatch({ documentsByTopic: map }).documentsByTopic;
        }
        api.setScenario(patch);
        sendJson(res, 200, { ok: true, scenario: scenarioSummary() });
      } catch (err) {
        sendJson(res, 400, openAIError(err instanceof Error ? err.message : String(err), "invalid_request_error"));
      }
      return;
    }
    if (urlPath === "/__control/scenario" && method === "GET") return sendJson(res, 200, scenarioSummary());
    if (urlPath === "/__control/reset" && method === "POST") {
      await readBody(req);
      api.resetScenario();
      api.clearRequests();
      return sendJson(res, 200, { ok: true, scenario: scenarioSummary() });
    }
    if (urlPath === "/__control/requests" && method === "GET") return sendJson(res, 200, requests.map(summarize));
    if (urlPath === "/__control/requests" && method === "DELETE") {
      api.clearRequests();
      return sendJson(res, 200, { ok: true });
    }
    if (urlPath === "/__control/health" && method === "GET") return sendJson(res, 200, { ok: true });
    sendJson(res, 404, openAIError(`Unknown control endpoint ${method} ${urlPath}`, "invalid_request_error", "unknown_url"));
  };

  const scenarioSummary = () => {
    const { document, documentsByTopic, ...rest } = scenario;
    return {
      ...rest,
      documentLength: document.length,
      documentPreview: document.slice(0, 80),
      documentsByTopic: Object.fromEntries(Object.entries(documentsByTopic).map(([k, v]) => [k, v.length])),
    };
  };

  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    const run = async () => {
      if (urlPath.startsWith("/__control/")) return handleControl(req, res, urlPath);
      if ((urlPath === "/v1/chat/completions" || urlPath === "/chat/completions") && method === "POST") {
        return handleChat(req, res, urlPath);
      }
      if ((urlPath === "/v1/models" || urlPath === "/models") && method === "GET") {
        const created = 1_700_000_000;
        return sendJson(res, 200, { object: "list", data: FAKE_MODELS.map((id) => ({ id, object: "model", created, owned_by: "fake-openai" })) });
      }
      req.resume();
      sendJson(res, 404, openAIError(`Unknown request URL: ${method} ${urlPath}.`, "invalid_request_error", "unknown_url"));
    };
    run().catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, openAIError(`fake-openai internal error: ${err instanceof Error ? err.message : String(err)}`, "server_error"));
      } else {
        res.destroy();
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake-openai: unexpected server address");
  const port = address.port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  const api: FakeOpenAI = {
    url: `http://${urlHost}:${port}/v1`,
    port,
    requests,
    setScenario(s) {
      const patch = validateScenarioPatch(s);
      if (patch.repair !== undefined) repairs.reset();
      scenario = { ...scenario, ...patch };
      if (patch.documentsByTopic) scenario.documentsByTopic = { ...patch.documentsByTopic };
    },
    resetScenario() {
      scenario = cloneScenario(defaults);
      repairs.reset();
    },
    getScenario() {
      return cloneScenario(scenario);
    },
    clearRequests() {
      requests.length = 0;
      notify();
    },
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          let ok = false;
          try {
            ok = predicate(requests);
          } catch (err) {
            done();
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          if (ok) {
            done();
            resolve();
          }
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`fake-openai waitFor timed out after ${timeoutMs} ms; requests: ${JSON.stringify(requests.map(summarize))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close() {
      if (closePromise) return closePromise;
      closing = true;
      closePromise = new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
      return closePromise;
    },
  };
  return api;
}
