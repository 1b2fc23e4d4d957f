import "server-only";
import { fillMasterPrompt } from "@/lib/prompts/master-prompt";
import { type FirstPassStrategy, requestLimits } from "./first-pass";
import { runModelStream } from "./run-model-stream";

/** `single` mode: one stream of the filled master prompt writes the whole document (Continue: from its text). */
export const runSinglePass: FirstPassStrategy = async ({ job, document, model, prompt, config, onUsage }) => {
  const outcome = await runModelStream({
    model,
    prompt: fillMasterPrompt(prompt.template, document.topic),
    promptStyle: prompt.style,
    prefix: document.markdown,
    ...requestLimits(config),
    signal: job.controller.signal,
    onText: (delta) => job.append(delta),
    onActivity: (activity) => job.setActivity(activity),
    onContinuation: () => job.countContinuation(),
    onNote: (kind, message) => job.note(kind, message),
    onUsage,
  });
  return { ...outcome, markdown: job.text };
};
