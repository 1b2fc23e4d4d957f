import "server-only";
import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import { DEMO_MODEL_ID } from "@/lib/examples/demo-model-id";
import { sectionText } from "@/lib/repair/section-text";
import { analyzeSections } from "@/lib/sections/analyzer";
import { REPAIR_MARKER } from "./repair/repair-prompt";

export interface DemoModelOptions {
  /** Streams this document (the first pass). */
  document: string;
  /** The whole document takes about this long. */
  durationSeconds: number;
  /** Repair requests are answered with their section of this document (default: `document`). */
  repairSource?: string;
}

const REPAIR_REQUEST = new RegExp(`^${REPAIR_MARKER}\\s*(\\d{1,2})\\b`, "m");

type PromptMessage = LanguageModelV3CallOptions["prompt"][number];
type ChatMessage = Extract<PromptMessage, { role: "user" | "assistant" }>;

/** What a message says in text (reasoning, files and tool calls are not text the demo answers to). */
function textOf(message: ChatMessage | undefined): string {
  return (message?.content ?? []).map((part) => (part.type === "text" ? part.text : "")).join("");
}

function firstUserText(options: LanguageModelV3CallOptions): string {
  return textOf(options.prompt.find((entry): entry is ChatMessage => entry.role === "user"));
}

/** The text so far of a continuation: the last assistant message. */
function lastAssistantText(options: LanguageModelV3CallOptions): string {
  return textOf(options.prompt.findLast((entry): entry is ChatMessage => entry.role === "assistant"));
}

const TICK_MS = 40;

function usage(outputChars: number): LanguageModelV3Usage {
  return {
    inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: Math.ceil(outputChars / 4), text: undefined, reasoning: undefined },
  };
}

/**
 * A language model that "writes" a library document at a steady pace. It implements the AI
 * SDK's LanguageModelV3 interface, so the demo runs the exact pipeline a real model does
 * (job, checkpoints, live stream, sidebar, permalink). Like a real model asked to continue,
 * it resumes after the assistant text it is given.
 */
export function createDemoModel({ document, durationSeconds, repairSource = document }: DemoModelOptions): LanguageModelV3 {
  const charsPerTick = Math.max(1, Math.ceil((document.length / Math.max(durationSeconds, 0.1)) * (TICK_MS / 1000)));

  return {
    specificationVersion: "v3",
    provider: "demo",
    modelId: DEMO_MODEL_ID,
    supportedUrls: {},
    async doGenerate() {
      throw new Error("The demo model only streams.");
    },
    async doStream(options) {
      // A repair request gets the real section; anything else the document.
      const repair = REPAIR_REQUEST.exec(firstUserText(options));
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: `final` changes only how an unterminated last line reads, and a section's bounds come from its headings.
      const answer = repair ? (sectionText(repairSource, analyzeSections(repairSource, { final: true }).sections, Number(repair[1])) ?? "") : document;
      const prefix = lastAssistantText(options);
      const remaining = answer.startsWith(prefix) ? answer.slice(prefix.length) : answer;
      const signal = options.abortSignal;
      let position = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;

      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "demo" });
          const onAbort = () => {
            clearTimeout(timer);
            controller.error(signal?.reason ?? new DOMException("Aborted", "AbortError"));
          };
          if (signal?.aborted) return onAbort();
          signal?.addEventListener("abort", onAbort, { once: true });
          const tick = () => {
            // Cut on a UTF-16 boundary that does not split a surrogate pair.
            let end = Math.min(remaining.length, position + charsPerTick);
            if (end < remaining.length && /[\uD800-\uDBFF]/.test(remaining.charAt(end - 1))) end += 1;
            controller.enqueue({ type: "text-delta", id: "demo", delta: remaining.slice(position, end) });
            position = end;
            if (position < remaining.length) {
              timer = setTimeout(tick, TICK_MS);
              return;
            }
            signal?.removeEventListener("abort", onAbort);
            controller.enqueue({ type: "text-end", id: "demo" });
            controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(remaining.length) });
            controller.close();
          };
          timer = setTimeout(tick, TICK_MS);
        },
        cancel() {
          clearTimeout(timer);
        },
      });
      return { stream };
    },
  };
}
