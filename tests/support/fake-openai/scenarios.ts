/**
 * What the fake model server does for a request: which text it streams, how fast, and which
 * fault it injects where. A scenario is plain data, so tests in-process and Playwright (over
 * /__control) set the same thing.
 */
import { DEFAULT_DOCUMENT } from "./documents";
import { PARALLEL_SCENARIO_DEFAULTS, type ParallelScenarioFields, type PlannedRequest, plannedAnswer, validateParallelField } from "./parallel-scenario";
import { type RepairScript, validateRepairScript } from "./repair-scenarios";

/** Faults placed at a character of the streamed text; the first one reached wins. */
export const FAULTS = {
  /** Destroy the socket (no terminating chunk). */
  reset: "resetAtChar",
  /** Stop sending, keep the connection open. */
  stall: "stallAtChar",
  /** End normally with finish reason "length" (Responses: incomplete, max_output_tokens). */
  length: "lengthAtChar",
  /** End with finish reason "content_filter" (Responses: incomplete, content_filter). */
  content_filter: "contentFilterAtChar",
  /** Send an error object in the stream: OpenRouter's `{error, choices:[{finish_reason:"error"}]}`; Responses: an `error` event. */
  error_event: "errorEventAtChar",
  /** End the HTTP response cleanly with no finish reason and no [DONE] (Responses: no response.completed). */
  unfinished: "unfinishedAtChar",
  /** Send a chunk that is not valid JSON, then go on. */
  malformed: "malformedAtChar",
} as const;
export type FaultKind = keyof typeof FAULTS;
type FaultField = (typeof FAULTS)[FaultKind];

/** How an HTTP error body looks: OpenAI's, vLLM/FastAPI's `{detail}`, Ollama's `{error: "…"}`, a bare `{message}`, plain text. */
export const ERROR_BODY_STYLES = ["openai", "vllm", "ollama", "message", "text"] as const;
export type ErrorBodyStyle = (typeof ERROR_BODY_STYLES)[number];

/** Where reasoning arrives: the Chat Completions delta fields, or `<think>` tags inside the content. */
export const REASONING_STYLES = ["reasoning_content", "reasoning", "think_tags"] as const;
export type ReasoningStyle = (typeof REASONING_STYLES)[number];

export type Scenario = {
  /** Markdown streamed (after any continuation prefix). "" answers with a finish chunk only. */
  document: string;
  /** Topic (case-insensitive substring of the prompt's TOPIC line, else of the prompt) -> document to stream instead. */
  documentsByTopic: Record<string, string>;
  /** UTF-16 code units per content chunk. */
  chunkSize: number;
  /** Delay between chunks. */
  delayMs: number;
  /** Delay (after the response headers) before the first chunk. */
  firstTokenDelayMs: number;
  /** Answer the next N requests with an HTTP error (decremented per request). */
  failBeforeStream: number;
  /** Status of those errors (429 to rate-limit, 401, 400…). */
  failStatus: number;
  /** Shape of their body. */
  failBody: ErrorBodyStyle;
  /** Their message (null: a default per status); "{authorization}" is replaced by the request's Authorization header, as some providers quote it. */
  failMessage: string | null;
  /** `Retry-After` sent with them (seconds or an HTTP date). */
  retryAfter: string | null;
  /** The error object of `error_event` faults. */
  errorEvent: { message: string; code: string | number };
  /** Characters of reasoning streamed before the text (0: none), in chunks of chunkSize. */
  reasoningChars: number;
  /** Delay between reasoning chunks (null: delayMs). */
  reasoningDelayMs: number | null;
  reasoningStyle: ReasoningStyle;
  /** false: answer even streaming requests with one JSON document, as servers without streaming do. */
  streaming: boolean;
  /** On a continuation, first repeat this many characters of the text given (a model echoing its prompt). */
  echoChars: number;
  /** Each fault fires for the first response that reaches it and is then cleared. */
  faultOnce: boolean;
  /** How section-repair requests are answered (./repair-scenarios.ts); null: each section as it is. */
  repair: RepairScript | null;
} & Record<FaultField, number | null> &
  ParallelScenarioFields;

export const BUILTIN_SCENARIO: Readonly<Scenario> = Object.freeze({
  document: DEFAULT_DOCUMENT,
  documentsByTopic: {},
  chunkSize: 24,
  delayMs: 5,
  firstTokenDelayMs: 0,
  failBeforeStream: 0,
  failStatus: 500,
  failBody: "openai",
  failMessage: null,
  retryAfter: null,
  errorEvent: { message: "Provider disconnected unexpectedly", code: 502 },
  reasoningChars: 0,
  reasoningDelayMs: null,
  reasoningStyle: "reasoning_content",
  streaming: true,
  echoChars: 0,
  faultOnce: true,
  repair: null,
  resetAtChar: null,
  stallAtChar: null,
  lengthAtChar: null,
  contentFilterAtChar: null,
  errorEventAtChar: null,
  unfinishedAtChar: null,
  malformedAtChar: null,
  ...PARALLEL_SCENARIO_DEFAULTS,
});

const SCENARIO_KEYS = Object.keys(BUILTIN_SCENARIO) as (keyof Scenario)[];
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`${key} must be one of ${allowed.join(", ")}`);
  return value as T;
}

/** Validates a partial scenario from a test or from HTTP JSON; throws with a readable message. */
export function validateScenarioPatch(patch: unknown): Partial<Scenario> {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new Error("scenario must be a JSON object");
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (key === "document") {
      if (typeof value !== "string") throw new Error("document must be a string");
    } else if (key === "documentsByTopic") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("documentsByTopic must be an object of topic -> markdown");
      for (const [topic, document] of Object.entries(value as Record<string, unknown>)) {
        if (topic.trim() === "") throw new Error("documentsByTopic keys must be non-empty");
        if (typeof document !== "string") throw new Error(`documentsByTopic[${JSON.stringify(topic)}] must be a string`);
      }
    } else if (key === "chunkSize") {
      if (!isCount(value) || value < 1) throw new Error("chunkSize must be an integer >= 1");
    } else if (["delayMs", "firstTokenDelayMs", "failBeforeStream", "reasoningChars", "echoChars"].includes(key)) {
      if (!isCount(value)) throw new Error(`${key} must be an integer >= 0`);
    } else if (key === "failStatus") {
      if (!isCount(value) || value < 400 || value > 599) throw new Error("failStatus must be 400..599");
    } else if (key === "failBody") {
      oneOf(key, value, ERROR_BODY_STYLES);
    } else if (key === "reasoningStyle") {
      oneOf(key, value, REASONING_STYLES);
    } else if (key === "reasoningDelayMs") {
      if (value !== null && !isCount(value)) throw new Error("reasoningDelayMs must be null or an integer >= 0");
    } else if (key === "retryAfter" || key === "failMessage") {
      if (value !== null && typeof value !== "string") throw new Error(`${key} must be null or a string`);
    } else if (key === "errorEvent") {
      const event = value as { message?: unknown; code?: unknown };
      if (typeof event?.message !== "string" || !["string", "number"].includes(typeof event.code)) throw new Error("errorEvent must be {message: string, code: string | number}");
    } else if (key === "streaming" || key === "faultOnce") {
      if (typeof value !== "boolean") throw new Error(`${key} must be a boolean`);
    } else if (key === "repair") {
      out[key] = validateRepairScript(value);
      continue;
    } else if ((Object.values(FAULTS) as string[]).includes(key)) {
      if (value !== null && !isCount(value)) throw new Error(`${key} must be null or an integer >= 0`);
    } else if (validateParallelField(key, value) === null) {
      throw new Error(`unknown scenario field ${JSON.stringify(key)} (known: ${SCENARIO_KEYS.join(", ")})`);
    }
    out[key] = value;
  }
  return out as Partial<Scenario>;
}

/** The first fault at or before `position` (the earliest position wins). */
export function faultReached(scenario: Scenario, position: number): { kind: FaultKind; at: number } | null {
  let best: { kind: FaultKind; at: number } | null = null;
  for (const [kind, field] of Object.entries(FAULTS) as [FaultKind, FaultField][]) {
    const at = scenario[field];
    if (at !== null && at <= position && (best === null || at < best.at)) best = { kind, at };
  }
  return best;
}

/** The next fault position after `position`: chunks are cut there so faults fire exactly. */
export function nextFaultPosition(scenario: Scenario, position: number): number {
  let next = Infinity;
  for (const field of Object.values(FAULTS)) {
    const at = scenario[field];
    if (at !== null && at > position && at < next) next = at;
  }
  return next;
}

export function consumeFault(scenario: Scenario, kind: FaultKind): void {
  if (scenario.faultOnce) scenario[FAULTS[kind]] = null;
}

/** A conversation, whichever API carried it. */
export interface Conversation {
  messages: { role: string; text: string }[];
}

export interface ContinuationPlan {
  /** Which document answered: a key of `documentsByTopic`, or "default". */
  documentKey: string;
  isContinuation: boolean;
  /** Characters of the answer already produced (the assistant message). */
  prefixChars: number;
  /** The assistant text was not a prefix of the answer, so the whole answer is streamed. */
  prefixMismatch: boolean;
  /** What this response streams: the echo (if any) and the rest of the answer. */
  text: string;
}

/** The document a conversation asks for: by the topic in its prompt (longest topic first), else the scenario's document. */
export function chooseDocument(scenario: Scenario, conversation: Conversation): { key: string; text: string } {
  const topics = Object.keys(scenario.documentsByTopic).sort((a, b) => b.length - a.length);
  if (topics.length > 0) {
    const prompts = conversation.messages.filter((message) => ["user", "system", "developer"].includes(message.role)).map((message) => message.text);
    const topicLines = prompts.flatMap((text) => Array.from(text.matchAll(/^[ \t]*TOPIC:[ \t]*(.+)$/gim), (match) => match[1] ?? ""));
    const firstUser = conversation.messages.find((message) => message.role === "user")?.text ?? "";
    for (const haystack of [topicLines.join("\n"), firstUser, prompts.join("\n")]) {
      const lower = haystack.toLowerCase();
      const hit = topics.find((topic) => lower.includes(topic.toLowerCase()));
      if (hit !== undefined) return { key: hit, text: scenario.documentsByTopic[hit] ?? "" };
    }
  }
  return { key: "default", text: scenario.document };
}

/**
 * What a request is answered with: the chosen document, or for parallel mode's requests
 * (`planned`) its outline or one of its sections (./parallel-scenario.ts), or `replacement` (a
 * scripted repair answer, ./repair-scenarios.ts). Detects [user prompt, assistant "so far", user
 * "continue"] and streams only the remainder.
 */
export function planResponse(scenario: Scenario, conversation: Conversation, planned: PlannedRequest | null = null, replacement: string | null = null): ContinuationPlan {
  const chosen = chooseDocument(scenario, conversation);
  const answer = replacement ?? (planned ? plannedAnswer(chosen.text, planned, scenario).text : chosen.text);
  const firstUser = conversation.messages.findIndex((message) => message.role === "user");
  const assistant = conversation.messages
    .slice(firstUser + 1)
    .filter((message) => message.role === "assistant")
    .map((message) => message.text)
    .join("");
  const documentKey = chosen.key;
  if (firstUser < 0 || !assistant) return { documentKey, isContinuation: false, prefixChars: 0, prefixMismatch: false, text: answer };
  if (!answer.startsWith(assistant)) return { documentKey, isContinuation: true, prefixChars: 0, prefixMismatch: true, text: answer };
  const echo = assistant.slice(assistant.length - Math.min(scenario.echoChars, assistant.length));
  return { documentKey, isContinuation: true, prefixChars: assistant.length, prefixMismatch: false, text: echo + answer.slice(assistant.length) };
}

/** Reasoning text of a given length, with blank lines in it (they broke naive <think> filters). */
export function reasoningText(length: number): string {
  const source = "Let me plan the document.\n\nFirst the real problem, then the naive approaches.\n\n\nNow the design. ";
  return source.repeat(Math.ceil(length / source.length)).slice(0, length);
}
