import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { APICallError } from "ai";
import { plannedAnswer, plannedRequest, requestKey, PARALLEL_SCENARIO_DEFAULTS, sectionPart, type PlannedRequest } from "./fake-openai/parallel-scenario";

/**
 * How the scripted model answers one request (by its key: "outline", "7", "5.2"): as a model
 * following the prompt would (the default), or with one of the faults parallel mode must survive.
 */
export type ScriptedAnswer =
  | { kind: "refuse"; status: number; message: string }
  | { kind: "text"; text: string }
  /** The planned answer, then the next section's heading and text (a model that goes on). */
  | { kind: "overrun" }
  /** Sends nothing until the request is aborted. */
  | { kind: "hang" }
  /** The first `chars` characters of the planned answer, ending at the output-token limit (a continuation gets the rest). */
  | { kind: "length"; chars: number };

export interface ScriptedRequest {
  key: string;
  planned: PlannedRequest | null;
  prompt: string;
  /** Its last user message (a continuation's instruction). */
  lastUser: string;
  /** The request asked for a JSON-schema response format. */
  structured: boolean;
  /** Requests of this model in flight when this one started (itself included). */
  inFlight: number;
  /** Keys of the requests that had ended when this one started. */
  endedBefore: string[];
  /** The app aborted it before its answer ended. */
  aborted: boolean;
}

const textOf = (message: LanguageModelV3CallOptions["prompt"][number]) =>
  typeof message.content === "string" ? message.content : message.content.map((part) => (part.type === "text" ? part.text : "")).join("");

/**
 * An in-process LanguageModelV3 that answers parallel mode's requests from `document` (the fake
 * server's planning: its outline as JSON, each section or part exactly), a few characters at a
 * time on timers so requests interleave, with `script` overriding the answer of named requests.
 * An entry answers every request of its key; an array answers successive requests, then the default.
 */
export function scriptedParallelModel(document: string, script: Record<string, ScriptedAnswer | ScriptedAnswer[]> = {}) {
  const requests: ScriptedRequest[] = [];
  const ended: string[] = [];
  let inFlight = 0;
  const nextAnswer = (key: string): ScriptedAnswer | null => {
    const entry = script[key];
    if (!Array.isArray(entry)) return entry ?? null;
    return entry.shift() ?? null;
  };

  const model: LanguageModelV3 = {
    specificationVersion: "v3",
    provider: "scripted",
    modelId: "scripted-parallel",
    supportedUrls: {},
    async doGenerate() {
      throw new Error("The scripted model only streams.");
    },
    async doStream(options) {
      const user = options.prompt.find((message) => message.role === "user");
      const prompt = user ? textOf(user) : "";
      const planned = plannedRequest({ messages: options.prompt.map((message) => ({ role: message.role, text: textOf(message) })) });
      const key = requestKey(planned);
      inFlight += 1;
      const lastUser = options.prompt.filter((message) => message.role === "user").map(textOf).at(-1) ?? "";
      const request: ScriptedRequest = { key, planned, prompt, lastUser, structured: options.responseFormat?.type === "json" && Boolean(options.responseFormat.schema), inFlight, endedBefore: [...ended], aborted: false };
      requests.push(request);
      const done = () => {
        inFlight -= 1;
        ended.push(key);
      };
      const answer = nextAnswer(key);
      if (answer?.kind === "refuse") {
        done();
        throw new APICallError({ message: answer.message, url: "http://scripted.test/v1/chat/completions", requestBodyValues: {}, statusCode: answer.status, responseBody: JSON.stringify({ error: { message: answer.message } }), isRetryable: false });
      }
      const planText = planned ? plannedAnswer(document, planned, PARALLEL_SCENARIO_DEFAULTS).text : document;
      // A continuation (the text so far as the assistant message) is answered with the rest.
      const assistant = options.prompt.filter((message) => message.role === "assistant").map(textOf).join("");
      let text = assistant && planText.startsWith(assistant) ? planText.slice(assistant.length) : planText;
      if (answer?.kind === "text") text = answer.text;
      const finishReason = answer?.kind === "length" ? "length" : "stop";
      if (answer?.kind === "length") text = planText.slice(0, answer.chars);
      if (answer?.kind === "overrun" && planned?.kind === "section") text = planText + sectionPart(document, planned.section + 1, 1, 1);
      const hang = answer?.kind === "hang";
      const signal = options.abortSignal;
      let position = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "t" });
          const onAbort = () => {
            clearTimeout(timer);
            request.aborted = true;
            done();
            controller.error(signal?.reason ?? new DOMException("Aborted", "AbortError"));
          };
          if (signal?.aborted) return onAbort();
          signal?.addEventListener("abort", onAbort, { once: true });
          if (hang) return;
          const tick = () => {
            // Pieces of 400 UTF-16 units that never split a surrogate pair.
            let end = Math.min(text.length, position + 400);
            if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end += 1;
            if (end > position) controller.enqueue({ type: "text-delta", id: "t", delta: text.slice(position, end) });
            position = end;
            if (position < text.length) {
              timer = setTimeout(tick, 1);
              return;
            }
            signal?.removeEventListener("abort", onAbort);
            done();
            controller.enqueue({ type: "text-end", id: "t" });
            const usage = {
              inputTokens: { total: Math.ceil(prompt.length / 4), noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
              outputTokens: { total: Math.ceil(text.length / 4), text: undefined, reasoning: undefined },
            };
            controller.enqueue({ type: "finish", finishReason: { unified: finishReason, raw: finishReason }, usage });
            controller.close();
          };
          timer = setTimeout(tick, 1);
        },
        cancel() {
          clearTimeout(timer);
        },
      });
      return { stream };
    },
  };
  return { model, requests };
}
