import "server-only";
import type { PartKey } from "@/lib/documents/section-parts";
import { type FirstPassContext, type RequestLimits, requestLimits } from "../first-pass";
import type { ModelStreamPlan } from "../run-model-stream";
import type { PartsBoard } from "./parts-board";

/** The options every model request of a part shares (the outline's and each section's). */
export type PartRequest = RequestLimits & Pick<ModelStreamPlan, "model" | "promptStyle" | "onActivity" | "onNote" | "onContinuation" | "onUsage">;

/**
 * What a part's request has in common with every other part's: the generation's model and limits,
 * the seed style (parallel prompts carry their own instructions, not the section contract), and
 * its reports routed both to its part on the board and to the job: what the model is doing, notes
 * for the history (opening with `name`, the part as a reader would call it), continuations, and
 * tokens (also counted toward the spend limits).
 */
export function partRequest(context: FirstPassContext, board: PartsBoard, key: PartKey, name: string): PartRequest {
  const { job } = context;
  return {
    model: context.model,
    promptStyle: "seed",
    ...requestLimits(context.config),
    onActivity: (activity) => board.setActivity(key, activity),
    onNote: (kind, message) => job.note(kind, `${name}: ${message}`),
    onContinuation: () => {
      board.countContinuation(key);
      job.countContinuation();
    },
    onUsage: async (usage) => {
      board.addTokens(key, usage.inputTokens ?? 0, usage.outputTokens ?? 0);
      await context.onUsage(usage);
    },
  };
}
