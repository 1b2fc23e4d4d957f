import "server-only";
import { type FinishReason, InvalidResponseDataError, type LanguageModel, type LanguageModelUsage, type OutputInterface, streamText } from "ai";
import type { HistoryKind } from "@/lib/documents/types";
import type { ModelActivity } from "@/lib/events/document-events";
import { buildMessages } from "@/lib/prompts/continuation-prompt";
import type { PromptStyle } from "@/lib/prompts/style";
import { ContinuationSeam } from "./continuation-seam";
import { describeProviderError, isRetryable, retryAfterMs } from "./describe-error";
import { SilenceWatchdog } from "./silence-watchdog";
import { LeadingThinkBlock } from "./think-block";

export interface ModelStreamPlan {
  model: LanguageModel;
  /** The filled master prompt. */
  prompt: string;
  /** The style of that prompt: a continuation after a cut keeps the model on it. */
  promptStyle: PromptStyle;
  /** Text already generated (Continue): the model is asked to go on from it. */
  prefix: string;
  maxOutputTokens: number | undefined;
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  maxContinuations: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  /** The longest wait a provider's Retry-After may impose (MAX_RETRY_AFTER_MS). */
  maxRetryAfterMs: number;
  /** Values removed from every message (the configured API key). */
  secrets?: readonly (string | undefined)[];
  /** Aborted when the job is cancelled or stopped. */
  signal: AbortSignal;
  /** Document text, in order; reasoning never comes here. */
  onText(delta: string): void;
  /** What the model is doing now (called on every change, possibly repeated). */
  onActivity?(activity: ModelActivity): void;
  onContinuation?(count: number): void;
  /** An automatic recovery the document's history should tell. */
  onNote?(kind: HistoryKind, message: string): void;
  /**
   * A request finished and the provider reported what it used (requests that fail report nothing);
   * awaited before the next request starts. The one usage callback: spend limits and the repair's
   * accounting both read it.
   */
  onUsage?(usage: LanguageModelUsage): Promise<void> | void;
  /** Why no further request may start (a spend limit is reached), or null; checked before each request. */
  stopReason?(): string | null;
  /** Structured output (a JSON schema the provider may enforce); the text still streams through onText. */
  output?: OutputInterface;
  /** What a continuation after a cut is told, instead of the document's continuation prompt (one section's requests, a section's repair). */
  continuationInstruction?(textSoFar: string): string;
}

export type ModelStreamOutcome =
  | { status: "complete"; continuations: number }
  | { status: "failed"; continuations: number; error: string }
  | { status: "cancelled"; continuations: number };

type RequestResult =
  /** The model said why it stopped. */
  | { kind: "finished"; reason: FinishReason; raw: string | undefined; reasoned: boolean }
  /** The stream ended cleanly without a finish reason: what a cut connection can look like. */
  | { kind: "unfinished"; wroteText: boolean }
  | { kind: "failed"; error: unknown; wroteText: boolean; timeout: string | null }
  | { kind: "cancelled" };

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      // Stryker disable next-line StringLiteral: a listener left on the job's signal would only call the idempotent `done` again.
      signal.removeEventListener("abort", done);
      resolve();
    }
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: `done` is idempotent, so hearing the abort more than once changes nothing.
    signal.addEventListener("abort", done, { once: true });
  });
}

/** @ai-sdk/openai-compatible reports a stream that ended without a finish reason as this error. */
function isMissingFinishReason(error: unknown): boolean {
  return InvalidResponseDataError.isInstance(error) && /without a finish reason/i.test(error.message);
}

/**
 * One model request, streamed. Owns its own AbortController so that a timeout or a job
 * cancellation always closes the upstream connection; nothing outlives this call.
 */
async function streamOneRequest(plan: ModelStreamPlan, textSoFar: string, emit: (delta: string) => void): Promise<RequestResult> {
  const upstream = new AbortController();
  const onCancel = () => upstream.abort(plan.signal.reason);
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: aborting an aborted controller does nothing.
  plan.signal.addEventListener("abort", onCancel, { once: true });

  let timeout: string | null = null;
  let wroteText = false;
  let reasoned = false;
  const idleMessage = `The model stopped sending text for ${seconds(plan.idleTimeoutMs)} (IDLE_TIMEOUT_MS).`;
  const watchdog = new SilenceWatchdog(
    plan.firstTokenTimeoutMs,
    `The model sent no text within ${seconds(plan.firstTokenTimeoutMs)} (FIRST_TOKEN_TIMEOUT_MS).`,
    (message) => {
      timeout = message;
      upstream.abort(new Error(message));
    },
  );
  const seam = new ContinuationSeam(textSoFar);
  const thinkBlock = new LeadingThinkBlock();
  plan.onActivity?.("waiting");

  // Reasoning is progress for both deadlines, but never document text.
  const reasoning = (delta: string) => {
    if (!delta) return;
    reasoned = true;
    watchdog.progress(plan.idleTimeoutMs, idleMessage);
    plan.onActivity?.("thinking");
  };
  const text = (delta: string) => {
    if (!delta) return;
    wroteText = true;
    watchdog.progress(plan.idleTimeoutMs, idleMessage);
    plan.onActivity?.("writing");
    emit(seam.push(delta));
  };
  const flushHeldText = () => {
    const rest = thinkBlock.flush();
    if (rest.text) wroteText = true;
    emit(seam.push(rest.text) + seam.flush());
  };

  try {
    const result = streamText({
      model: plan.model,
      messages: buildMessages(plan.prompt, textSoFar, plan.promptStyle, plan.continuationInstruction?.(textSoFar)),
      ...(plan.output ? { output: plan.output } : {}),
      maxOutputTokens: plan.maxOutputTokens,
      maxRetries: 0, // retries are ours: only before the first token, and visible to the job
      abortSignal: upstream.signal,
      onError: () => {}, // errors are handled from the stream below, not logged twice
    });
    let finish: { reason: FinishReason; raw: string | undefined } | null = null;
    let unfinished = false;
    let usage: LanguageModelUsage | undefined;
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        const separated = thinkBlock.push(part.text);
        reasoning(separated.reasoning);
        text(separated.text);
      } else if (part.type === "reasoning-delta") {
        reasoning(part.text);
      } else if (part.type === "finish") {
        finish = { reason: part.finishReason, raw: part.rawFinishReason };
        usage = part.totalUsage;
      } else if (part.type === "error") {
        if (!isMissingFinishReason(part.error)) throw part.error;
        unfinished = true;
      } else if (part.type === "abort") {
        throw new Error("aborted");
      }
    }
    flushHeldText();
    // Counted whatever the ending (a content filter's tokens are spent too), before the next request starts.
    // Stryker disable next-line ConditionalExpression: streamText ends every stream it does not throw from with a finish part, so usage is always there.
    if (usage) await plan.onUsage?.(usage);
    // The Responses API model reports a stream without `response.completed` as "other" with no raw reason.
    if (unfinished || !finish || (finish.reason === "other" && finish.raw === undefined)) return { kind: "unfinished", wroteText };
    return { kind: "finished", ...finish, reasoned };
  } catch (error) {
    flushHeldText();
    if (plan.signal.aborted) return { kind: "cancelled" };
    return { kind: "failed", error, wroteText, timeout };
  } finally {
    watchdog.stop();
    // Stryker disable next-line StringLiteral: a cancel after the request ended aborts its finished controller, which does nothing.
    plan.signal.removeEventListener("abort", onCancel);
    // Closes the connection whatever the ending (a no-op when a timeout or Cancel already did).
    upstream.abort();
  }
}

/** The wait before the next attempt: what a 429/503 asked for (capped), else exponential backoff with jitter. */
function retryDelay(plan: ModelStreamPlan, attempt: number, error: unknown): { ms: number; asked: boolean } {
  const asked = retryAfterMs(error);
  if (asked !== null) return { ms: Math.min(asked, plan.maxRetryAfterMs), asked: true };
  const backoff = plan.retryBaseDelayMs * 2 ** (attempt - 1);
  return { ms: backoff / 2 + Math.random() * (backoff / 2), asked: false };
}

/**
 * Streams a whole document and says truthfully how it ended. `complete` only when the model said
 * it finished (`stop`) and some text exists. It continues automatically when the model stops at
 * its output-token limit, and once when a stream ends cleanly without a finish reason (what a cut
 * connection looks like); it retries failures before the first token (with backoff, or as long as
 * Retry-After asks). Every other ending — a content filter, an error event, a second unfinished
 * stream, a timeout — is `failed`, with the provider's reason and the text kept.
 */
export async function runModelStream(plan: ModelStreamPlan): Promise<ModelStreamOutcome> {
  let text = plan.prefix;
  let continuations = 0;
  let attempt = 1;
  let continuedUnfinished = false;
  const emit = (delta: string) => {
    if (!delta) return;
    text += delta;
    plan.onText(delta);
  };
  const failed = (error: string): ModelStreamOutcome => ({ status: "failed", continuations, error });

  for (;;) {
    if (plan.signal.aborted) return { status: "cancelled", continuations };
    // A spend limit stops the next request (continuation or retry), never one that is streaming.
    const stop = plan.stopReason?.();
    if (stop) return { status: "failed", continuations, error: stop };
    const result = await streamOneRequest(plan, text, emit);

    if (result.kind === "cancelled") return { status: "cancelled", continuations };
    if (result.kind === "finished") {
      if (result.reason === "stop") {
        if (text) return { status: "complete", continuations };
        return failed(`The model said it had finished but wrote no text${result.reasoned ? " (it sent only reasoning)" : ""}.`);
      }
      if (result.reason === "length") {
        if (continuations >= plan.maxContinuations) {
          return failed(
            `The model hit its output-token limit ${continuations + 1} times; the cap of ${plan.maxContinuations} automatic continuations (MAX_CONTINUATIONS) was reached. Use Continue to go on.`,
          );
        }
        continuations += 1;
        attempt = 1;
        plan.onContinuation?.(continuations);
        plan.onNote?.("continued_after_length", `The model stopped at its output-token limit after ${text.length} characters; continued automatically (${continuations} of ${plan.maxContinuations}, MAX_CONTINUATIONS).`);
        continue;
      }
      if (result.reason === "content-filter") {
        return failed(`The model provider's content filter stopped the answer (finish reason "${result.raw ?? "content_filter"}").`);
      }
      return failed(`The model stopped with finish reason "${result.raw ?? result.reason}" before finishing the document.`);
    }

    let reason: string;
    let retryable: boolean;
    let error: unknown = null;
    if (result.kind === "unfinished") {
      if (result.wroteText && !continuedUnfinished) {
        continuedUnfinished = true;
        attempt = 1;
        plan.onNote?.(
          "continued_after_unfinished_stream",
          `The model's stream ended after ${text.length} characters without a finish reason, as when a connection is cut on the way; continued automatically once.`,
        );
        continue;
      }
      const again = continuedUnfinished ? ", again after an automatic continuation" : "";
      reason = `The model's stream ended without a finish reason${result.wroteText ? "" : " and without any text"}${again}: the connection may have been cut on the way.`;
      retryable = !result.wroteText;
    } else {
      if (result.timeout) return failed(`${result.timeout} The text received so far is kept.`);
      error = result.error;
      reason = describeProviderError(error, plan.secrets);
      retryable = !result.wroteText && isRetryable(error);
    }

    if (retryable && attempt < plan.maxAttempts) {
      const delay = retryDelay(plan, attempt, error);
      plan.onNote?.("retried", `Attempt ${attempt} failed before any text: ${reason} Attempt ${attempt + 1} after ${seconds(delay.ms)}${delay.asked ? " (as Retry-After asked)" : ""}.`);
      await sleep(delay.ms, plan.signal);
      attempt += 1;
      continue;
    }
    return failed(`${reason}${attempt > 1 ? ` (after ${attempt} attempts)` : ""}`);
  }
}
