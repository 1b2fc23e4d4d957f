/**
 * A fake OpenAI-compatible model server for tests, on a real socket: Chat Completions
 * (`POST /v1/chat/completions`) and the Responses API (`POST /v1/responses`).
 *
 * Nothing in CI can reach a real model, so integration tests (in-process) and e2e tests (via
 * ./cli.ts) talk to this server. It streams a Markdown document the way providers do, understands
 * the app's "continue" requests (it streams only the remainder), and injects the faults and quirks
 * the app must survive (./scenarios.ts): HTTP errors with Retry-After and various bodies, resets,
 * stalls, length and content-filter endings, error events, streams that end without a finish
 * reason, malformed chunks, non-streamed answers, reasoning. It answers parallel mode's outline
 * and section requests from its document (./parallel-scenario.ts), and can aim faults at one of
 * them (`faultTarget`); section-repair requests get scripted answers (./repair-scenarios.ts).
 * Only node:http is used.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { type Api, chatProtocol, completeAnswer, contentText, type Ending, errorBody, responsesProtocol, type StreamProtocol } from "./protocol";
import { faultApplies, plannedRequest, requestKey } from "./parallel-scenario";
import { createRepairResponder, type RepairAction } from "./repair-scenarios";
import {
  BUILTIN_SCENARIO,
  chooseDocument,
  consumeFault,
  type Conversation,
  type FaultKind,
  faultReached,
  nextFaultPosition,
  planResponse,
  reasoningText,
  type Scenario,
  validateScenarioPatch,
} from "./scenarios";

export type { FaultKind, Scenario } from "./scenarios";

export type RequestOutcome =
  | "streaming" // still being served
  | "stop" // ended normally
  | "length"
  | "content_filter"
  | "error_event" // an error object was sent in the stream, then the response ended
  | "unfinished" // ended cleanly without a finish reason
  | "json" // answered with one JSON document
  | "http-error" // answered with failBeforeStream's error status
  | "bad-request" // invalid JSON / missing messages (HTTP 400)
  | "reset" // socket destroyed by the reset fault
  | "stall" // stall fault hit; connection still open
  | "client-closed" // the client went away before the end
  | "server-closed"; // the fake server was closed while this response was open

/** A Chat Completions message as a request carries it. */
export interface ChatMessage {
  role: string;
  content?: string | { type?: string; text?: string }[] | null;
  [key: string]: unknown;
}

/** A request body of either API (Chat: `messages`; Responses: `input`). */
export interface RequestBody {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  [key: string]: unknown;
}

/** The text of a Chat Completions message ("" for none). */
export function messageText(message: ChatMessage | undefined): string {
  return message ? contentText(message.content) : "";
}

export interface RecordedRequest {
  /** 1-based, increasing per server instance. */
  id: number;
  api: Api;
  path: string;
  /** Parsed JSON request body (null if it was not valid JSON). */
  body: RequestBody | null;
  headers: http.IncomingHttpHeaders;
  /** Date.now() when the request arrived, and when its response ended (null while open). */
  startedAt: number;
  endedAt: number | null;
  /** The client closed the connection before the server finished the response. */
  closedByClient: boolean;
  /** Document characters (UTF-16 code units) sent as content in this response. */
  servedChars: number;
  status: number;
  stream: boolean;
  model: string | null;
  /** The request carried an assistant message after the user prompt. */
  isContinuation: boolean;
  /** Length of the accepted assistant prefix (0 unless continuing). */
  continuationChars: number;
  /** The assistant text was not a prefix of the document, so the whole document was streamed. */
  prefixMismatch: boolean;
  /** The fault injected into this response, if any. */
  fault: FaultKind | null;
  /** Which document answered: a key of `documentsByTopic`, or "default". */
  documentKey: string;
  /** What the request asked for (see ./parallel-scenario.ts): "outline", a section ("7", "5.2"), or "single". */
  planned: string;
  /** The finish reason the response ended with (null while streaming, or when it ended otherwise). */
  finishReason: Ending | null;
  outcome: RequestOutcome;
  /** A section-repair request: which section, which attempt, what it was answered with. */
  repair: { section: number; attempt: number; action: RepairAction } | null;
}

/** JSON shape returned by GET /__control/requests (no bodies). */
export type RequestSummary = Omit<RecordedRequest, "body" | "headers">;

export interface FakeOpenAI {
  /** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  /** Merge into the current scenario (throws on invalid values). */
  setScenario(patch: Partial<Scenario>): void;
  /** Back to the defaults the server was started with. */
  resetScenario(): void;
  getScenario(): Scenario;
  /** Every model request, in arrival order; entries update live. */
  requests: RecordedRequest[];
  /** Empties `requests` (same array instance). */
  clearRequests(): void;
  /** Resolves once predicate(requests) is true; rejects after timeoutMs (default 5000). */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Destroys open sockets and stops listening. Idempotent. */
  close(): Promise<void>;
}

export interface StartFakeOpenAIOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Overrides of the built-in defaults; resetScenario() returns to these. */
  defaults?: Partial<Scenario>;
  /** Called when a content chunk was handed to the kernel (benchmarks measure latency from here). */
  onChunk?: (request: RecordedRequest, servedChars: number, sentAt: number) => void;
}

export const FAKE_MODELS = ["fake-model", "fake-model-mini"] as const;
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const ENDINGS: Partial<Record<FaultKind, Ending>> = { length: "length", content_filter: "content_filter" };

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
    res.write(data, (error) => {
      signal.removeEventListener("abort", onAbort);
      resolve(!error && !signal.aborted);
    });
  });
}

function send(res: http.ServerResponse, status: number, body: string, contentType = "application/json", headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

const sendJson = (res: http.ServerResponse, status: number, payload: unknown) => send(res, status, JSON.stringify(payload));
const openAIError = (message: string, type = "invalid_request_error") => ({ error: { message, type, param: null, code: null } });

/** A request as GET /__control/requests shows it: without body and headers. */
function summarize(request: RecordedRequest): RequestSummary {
  const summary: Partial<RecordedRequest> = { ...request };
  delete summary.body;
  delete summary.headers;
  return summary as RequestSummary;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The conversation of a request body in either API's shape; null when it has none. */
function conversationOf(api: Api, body: Record<string, unknown>): Conversation | null {
  const items = api === "chat" ? body.messages : typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
  if (!Array.isArray(items)) return null;
  return { messages: items.map((item: { role?: unknown; content?: unknown }) => ({ role: String(item?.role ?? ""), text: contentText(item?.content) })) };
}

/** A request for structured output with a JSON schema (Chat: `response_format`; Responses: `text.format`). */
function asksForJsonSchema(api: Api, body: Record<string, unknown>): boolean {
  const format = api === "chat" ? (body.response_format as { type?: unknown } | undefined) : (body.text as { format?: { type?: unknown } } | undefined)?.format;
  return format?.type === "json_schema";
}

interface Exchange {
  rec: RecordedRequest;
  res: http.ServerResponse;
  signal: AbortSignal;
  /** Set before the server itself ends/destroys the connection, so 'close' is not blamed on the client. */
  serverClosed: boolean;
}

export async function startFakeOpenAI(options: StartFakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = options.host ?? "127.0.0.1";
  const defaults: Scenario = { ...BUILTIN_SCENARIO, ...validateScenarioPatch(options.defaults ?? {}) };
  let scenario: Scenario = { ...defaults };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const listeners = new Set<() => void>();
  let nextId = 1;
  let closing = false;
  let closePromise: Promise<void> | null = null;
  const repairs = createRepairResponder();
  const notify = () => [...listeners].forEach((listener) => listener());

  const end = (exchange: Exchange, outcome: RequestOutcome) => {
    exchange.rec.outcome = outcome;
    if (outcome === "stop" || outcome === "length" || outcome === "content_filter") exchange.rec.finishReason = outcome;
    exchange.serverClosed = true;
    exchange.res.end();
  };

  /**
   * Streams `text` (reasoning first, if any), stopping at the first fault it reaches: the
   * scenario's (live), or `own`, a fault of this response alone (a scripted repair's).
   */
  const stream = async (
    exchange: Exchange,
    protocol: StreamProtocol,
    text: string,
    snap: Scenario,
    promptChars: number,
    own: { kind: "stall" | "reset"; at: number } | null = null,
  ) => {
    const { res, rec, signal } = exchange;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-request-id": `fake-req-${rec.id}` });
    res.flushHeaders();
    if (!(await sleep(snap.firstTokenDelayMs, signal))) return;
    if (!(await writeFlushed(res, protocol.start(), signal))) return;

    if (snap.reasoningChars > 0) {
      const thought = reasoningText(snap.reasoningChars);
      const tagged = snap.reasoningStyle === "think_tags";
      const wire = tagged ? `<think>\n${thought}\n</think>\n\n` : thought;
      for (let position = 0; position < wire.length; position += snap.chunkSize) {
        const piece = wire.slice(position, position + snap.chunkSize);
        if (!(await writeFlushed(res, tagged ? protocol.text(piece) : protocol.reasoning(piece), signal))) return;
        if (!(await sleep(snap.reasoningDelayMs ?? snap.delayMs, signal))) return;
      }
    }

    // Faults read live from the scenario (faultOnce works across concurrent requests), for the requests they target.
    const targeted = () => faultApplies(scenario.faultTarget, rec.planned);
    for (let position = 0; ; ) {
      const ownFault = own && own.at <= position ? own : null;
      const fault = ownFault ?? (targeted() ? faultReached(scenario, position) : null);
      if (fault) {
        if (!ownFault) consumeFault(scenario, fault.kind);
        rec.fault = fault.kind;
        notify();
        const ending = ENDINGS[fault.kind];
        if (ending) {
          if (await writeFlushed(res, protocol.finish(ending, { promptChars, completionChars: rec.servedChars }), signal)) end(exchange, ending);
          return;
        }
        if (fault.kind === "error_event") {
          if (await writeFlushed(res, protocol.errorEvent(snap.errorEvent), signal)) end(exchange, "error_event");
          return;
        }
        if (fault.kind === "unfinished") return end(exchange, "unfinished");
        if (fault.kind === "malformed") {
          if (!(await writeFlushed(res, protocol.malformed(), signal))) return;
          continue; // the fault is consumed; the stream goes on as providers' do
        }
        if (fault.kind === "stall") {
          rec.outcome = "stall";
          return notify(); // keep the socket open, send nothing; 'close' cleans up
        }
        rec.outcome = "reset";
        exchange.serverClosed = true;
        rec.endedAt = Date.now();
        notify();
        (res.socket ?? res).destroy();
        return;
      }
      if (position >= text.length) {
        if (await writeFlushed(res, protocol.finish("stop", { promptChars, completionChars: rec.servedChars }), signal)) end(exchange, "stop");
        return;
      }
      if (position > 0 && !(await sleep(snap.delayMs, signal))) return;
      // Re-read after the sleep.
      const faultAt = Math.min(targeted() ? nextFaultPosition(scenario, position) : Infinity, own && own.at > position ? own.at : Infinity);
      let cut = Math.min(position + snap.chunkSize, text.length, faultAt);
      // Don't split a surrogate pair unless a fault position demands it.
      if (cut < text.length && cut < faultAt && /[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut += 1;
      if (!(await writeFlushed(res, protocol.text(text.slice(position, cut)), signal))) return;
      rec.servedChars += cut - position;
      position = cut;
      options.onChunk?.(rec, rec.servedChars, performance.now());
      notify();
    }
  };

  const handleModel = async (req: http.IncomingMessage, res: http.ServerResponse, api: Api, urlPath: string) => {
    const raw = await readBody(req);
    let body: RequestBody | null = null;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as RequestBody;
    } catch {
      body = null;
    }
    const rec: RecordedRequest = {
      id: nextId++,
      api,
      path: urlPath,
      body,
      headers: req.headers,
      startedAt: Date.now(),
      endedAt: null,
      closedByClient: false,
      servedChars: 0,
      status: 200,
      stream: body?.stream === true,
      model: typeof body?.model === "string" ? body.model : null,
      isContinuation: false,
      continuationChars: 0,
      prefixMismatch: false,
      fault: null,
      documentKey: "default",
      planned: "single",
      finishReason: null,
      outcome: "streaming",
      repair: null,
    };
    requests.push(rec);
    const abort = new AbortController();
    const exchange: Exchange = { rec, res, signal: abort.signal, serverClosed: false };
    res.on("close", () => {
      abort.abort();
      if (!res.writableFinished && !exchange.serverClosed) {
        rec.closedByClient = !closing;
        rec.outcome = closing ? "server-closed" : "client-closed";
      }
      rec.endedAt ??= Date.now();
      notify();
    });
    notify();

    const conversation = body ? conversationOf(api, body) : null;
    if (!body || !conversation) {
      rec.status = 400;
      exchange.serverClosed = true;
      rec.outcome = "bad-request";
      sendJson(res, 400, openAIError(body ? `'${api === "chat" ? "messages" : "input"}' is a required property` : "We could not parse the JSON body of your request."));
      return;
    }
    const planned = plannedRequest(conversation);
    rec.planned = requestKey(planned);
    if (scenario.refuseResponseFormat && asksForJsonSchema(api, body)) {
      rec.status = 400;
      rec.outcome = "http-error";
      exchange.serverClosed = true;
      sendJson(res, 400, openAIError("response_format json_schema is not supported by this server (fake-openai refuseResponseFormat)."));
      return;
    }
    if (scenario.failBeforeStream > 0 && faultApplies(scenario.faultTarget, rec.planned)) {
      scenario.failBeforeStream -= 1;
      rec.status = scenario.failStatus;
      rec.outcome = "http-error";
      exchange.serverClosed = true;
      const message =
        scenario.failMessage !== null
          ? scenario.failMessage.replaceAll("{authorization}", String(req.headers.authorization ?? ""))
          : scenario.failStatus === 429
            ? "Rate limit reached (fake-openai injected failure)."
            : `The server had an error while processing your request (fake-openai injected ${scenario.failStatus}).`;
      const failure = errorBody(scenario.failBody, scenario.failStatus, message);
      send(res, scenario.failStatus, failure.body, failure.contentType, scenario.retryAfter === null ? {} : { "retry-after": scenario.retryAfter });
      return;
    }

    const snap: Scenario = { ...scenario };
    // Section-repair requests are answered by ./repair-scenarios.ts.
    const repair = planned ? null : repairs.answer(snap.repair, conversation, chooseDocument(snap, conversation));
    if (repair) {
      rec.repair = { section: repair.section, attempt: repair.attempt, action: repair.action };
      if (repair.action === "http-500") {
        rec.status = 500;
        rec.outcome = "http-error";
        exchange.serverClosed = true;
        // `failMessage`, when set, words this failure too (quoting the Authorization header as some providers do).
        const message =
          snap.failMessage?.replaceAll("{authorization}", String(req.headers.authorization ?? "")) ??
          "The server had an error while processing your request. (fake-openai scripted repair failure)";
        const failure = errorBody("openai", 500, message);
        send(res, 500, failure.body, failure.contentType);
        return;
      }
    }
    const plan = planResponse(snap, conversation, planned, repair ? repair.text : null);
    // "invalid-once": the first outline answered is not JSON, the next ones are.
    if (planned?.kind === "outline" && scenario.outlineFormat === "invalid-once") scenario.outlineFormat = "json";
    rec.documentKey = plan.documentKey;
    rec.isContinuation = plan.isContinuation;
    rec.continuationChars = plan.prefixChars;
    rec.prefixMismatch = plan.prefixMismatch;
    const promptChars = conversation.messages.reduce((sum, message) => sum + message.text.length, 0);
    const model = rec.model ?? "fake-model";
    notify();

    if (!rec.stream || !snap.streaming) {
      rec.servedChars = plan.text.length;
      exchange.serverClosed = true;
      rec.outcome = "json";
      rec.finishReason = "stop";
      sendJson(res, 200, completeAnswer(api, { id: rec.id, model, text: plan.text, ending: "stop", usage: { promptChars, completionChars: plan.text.length } }));
      return;
    }
    const protocol =
      api === "chat"
        ? chatProtocol({ id: rec.id, model, includeUsage: (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true, reasoningStyle: snap.reasoningStyle })
        : responsesProtocol({ id: rec.id, model });
    const pace = repair ? { ...snap, chunkSize: snap.repair?.chunkSize ?? snap.chunkSize, delayMs: snap.repair?.delayMs ?? snap.delayMs } : snap;
    await stream(exchange, protocol, plan.text, pace, promptChars, repair?.fault ?? null);
  };

  const handleControl = async (req: http.IncomingMessage, res: http.ServerResponse, urlPath: string) => {
    const method = req.method ?? "GET";
    if (urlPath === "/__control/scenario" && method === "POST") {
      try {
        const raw = await readBody(req);
        const parsed: unknown = raw.trim() === "" ? {} : JSON.parse(raw);
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("body must be a JSON object");
        const { documentFile, ...rest } = parsed as Record<string, unknown>;
        const patch = validateScenarioPatch(rest);
        if (documentFile !== undefined) {
          if (typeof documentFile !== "string") throw new Error("documentFile must be a path string");
          patch.document = await readFile(path.resolve(documentFile), "utf8");
        }
        api.setScenario(patch);
        sendJson(res, 200, { ok: true });
      } catch (error) {
        sendJson(res, 400, openAIError(error instanceof Error ? error.message : String(error)));
      }
      return;
    }
    if (urlPath === "/__control/reset" && method === "POST") {
      await readBody(req);
      api.resetScenario();
      api.clearRequests();
      return sendJson(res, 200, { ok: true });
    }
    if (urlPath === "/__control/requests" && method === "GET") {
      return sendJson(res, 200, requests.map(summarize));
    }
    if (urlPath === "/__control/health" && method === "GET") return sendJson(res, 200, { ok: true });
    sendJson(res, 404, openAIError(`Unknown control endpoint ${method} ${urlPath}`));
  };

  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    const run = async () => {
      if (urlPath.startsWith("/__control/")) return handleControl(req, res, urlPath);
      if (method === "POST" && /^(\/v1)?\/chat\/completions$/.test(urlPath)) return handleModel(req, res, "chat", urlPath);
      if (method === "POST" && /^(\/v1)?\/responses$/.test(urlPath)) return handleModel(req, res, "responses", urlPath);
      req.resume();
      sendJson(res, 404, openAIError(`Unknown request URL: ${method} ${urlPath}.`));
    };
    run().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, openAIError(`fake-openai internal error: ${error instanceof Error ? error.message : String(error)}`, "server_error"));
      else res.destroy();
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
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  const api: FakeOpenAI = {
    url: `http://${urlHost}:${address.port}/v1`,
    port: address.port,
    requests,
    setScenario(patch) {
      const valid = validateScenarioPatch(patch);
      if (valid.repair !== undefined) repairs.reset();
      scenario = { ...scenario, ...valid };
    },
    resetScenario() {
      scenario = { ...defaults };
      repairs.reset();
    },
    getScenario() {
      return { ...scenario };
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
          } catch (error) {
            done();
            reject(error instanceof Error ? error : new Error(String(error)));
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
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closePromise;
    },
  };
  return api;
}
