import "server-only";
import { type LanguageModel, type LanguageModelUsage, type OutputInterface, streamText } from "ai";
import { buildMessages } from "@/lib/prompts/continuation-prompt";
import type { PromptStyle } from "@/lib/prompts/style";
import { ContinuationSeam } from "./continuation-seam";
import { describeProviderError, isRetryable } from "./describe-error";
import { SilenceWatchdog } from "./silence-watchdog";

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
  /** Aborted when the job is cancelled. */
  signal: AbortSignal;
  onText(delta: string): void;
  onContinuation?(count: number): void;
  onRetry?(attempt: number, reason: string): void;
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
  | { kind: "finished"; finishReason: string }
  | { kind: "failed"; error: unknown; receivedText: boolean; timeout: string | null }
  | { kind: "cancelled" };

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * One model request, streamed. Owns its own AbortController so that a timeout or a job
 * cancellation always closes the upstream connection; nothing outlives this call.
 */
async function streamOneRequest(plan: ModelStreamPlan, textSoFar: string, emit: (delta: string) => void): Promise<RequestResult> {
  const upstream = new AbortController();
  const onCancel = () => upstream.abort(plan.signal.reason);
  plan.signal.addEventListener("abort", onCancel, { once: true });

  let timeout: string | null = null;
  let receivedText = false;
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
    let finishReason = "unknown";
    let usage: LanguageModelUsage | undefined;
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        if (!part.text) continue;
        receivedText = true;
        watchdog.progress(plan.idleTimeoutMs, idleMessage);
        emit(seam.push(part.text));
      } else if (part.type === "finish") {
        finishReason = part.finishReason;
        usage = part.totalUsage;
      } else if (part.type === "error") {
        throw part.error;
      } else if (part.type === "abort") {
        throw new Error("aborted");
      }
    }
    emit(seam.flush());
    if (usage) await plan.onUsage?.(usage);
    return { kind: "finished", finishReason };
  } catch (error) {
    emit(seam.flush());
    if (plan.signal.aborted) return { kind: "cancelled" };
    return { kind: "failed", error, receivedText, timeout };
  } finally {
    watchdog.stop();
    plan.signal.removeEventListener("abort", onCancel);
    if (!upstream.signal.aborted) upstream.abort();
  }
}

/**
 * Streams a whole document: retries failures that happen before the first token (with
 * exponential backoff and jitter), continues automatically when the model stops at its
 * output-token limit, and turns every other failure into a readable reason with the text kept.
 */
export async function runModelStream(plan: ModelStreamPlan): Promise<ModelStreamOutcome> {
  let text = plan.prefix;
  let continuations = 0;
  let attempt = 1;
  const emit = (delta: string) => {
    if (!delta) return;
    text += delta;
    plan.onText(delta);
  };

  for (;;) {
    if (plan.signal.aborted) return { status: "cancelled", continuations };
    // A spend limit stops the next request (continuation or retry), never one that is streaming.
    const stop = plan.stopReason?.();
    if (stop) return { status: "failed", continuations, error: stop };
    const result = await streamOneRequest(plan, text, emit);

    if (result.kind === "cancelled") return { status: "cancelled", continuations };
    if (result.kind === "finished") {
      if (result.finishReason !== "length") return { status: "complete", continuations };
      if (continuations >= plan.maxContinuations) {
        return {
          status: "failed",
          continuations,
          error: `The model hit its output-token limit ${continuations + 1} times; the cap of ${plan.maxContinuations} automatic continuations (MAX_CONTINUATIONS) was reached. Use Continue to go on.`,
        };
      }
      continuations += 1;
      attempt = 1;
      plan.onContinuation?.(continuations);
      continue;
    }

    if (result.timeout) return { status: "failed", continuations, error: `${result.timeout} The text received so far is kept.` };
    const reason = describeProviderError(result.error);
    if (!result.receivedText && attempt < plan.maxAttempts && isRetryable(result.error)) {
      plan.onRetry?.(attempt, reason);
      const backoff = plan.retryBaseDelayMs * 2 ** (attempt - 1);
      await sleep(backoff / 2 + Math.random() * (backoff / 2), plan.signal);
      attempt += 1;
      continue;
    }
    const attempts = attempt > 1 ? ` (after ${attempt} attempts)` : "";
    return { status: "failed", continuations, error: `${reason}${attempts}` };
  }
}
