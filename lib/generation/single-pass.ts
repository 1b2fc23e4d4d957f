import "server-only";
import { fillMasterPrompt } from "@/lib/prompts/master-prompt";
import type { FirstPassStrategy } from "./first-pass";
import { runModelStream } from "./run-model-stream";

/** `single` mode: one stream of the filled master prompt writes the whole document (Continue: from its text). */
export const runSinglePass: FirstPassStrategy = async ({ job, document, model, prompt, config, onUsage }) => {
  const outcome = await runModelStream({
    model,
    prompt: fillMasterPrompt(prompt.template, document.topic),
    promptStyle: prompt.style,
    prefix: document.markdown,
    maxOutputTokens: config.maxOutputTokens,
    firstTokenTimeoutMs: config.firstTokenTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    maxContinuations: config.maxContinuations,
    maxAttempts: config.maxAttempts,
    retryBaseDelayMs: config.retryBaseDelayMs,
    signal: job.controller.signal,
    onText: (delta) => job.append(delta),
    onContinuation: () => job.countContinuation(),
    onUsage,
  });
  return { ...outcome, markdown: job.text };
};
