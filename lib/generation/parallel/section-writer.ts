import "server-only";
import { partLabel, type Outline, type PartKey } from "@/lib/documents/section-parts";
import { headingOf, sectionContinuationInstruction, sectionRequestPrompt } from "@/lib/prompts/parallel-prompts";
import type { FirstPassContext } from "../first-pass";
import { runModelStream } from "../run-model-stream";
import type { PartsBoard } from "./parts-board";
import { partRequest } from "./part-request";
import { SectionTextFilter } from "./section-text-filter";

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type PartResult = "complete" | "failed" | "cancelled";

/**
 * Writes one part (a section, or one part of a long section) with one model request through
 * runModelStream: its own timeouts, backoff, auto-continuation and usage, aborted with the job.
 * Continue resumes it from its text. The text is kept to the section (SectionTextFilter); a model
 * that goes on with the next section is stopped there, and the part is complete.
 */
export async function writePart(
  context: FirstPassContext,
  board: PartsBoard,
  key: PartKey,
  inputs: { outline: Outline; section2: string | null },
): Promise<PartResult> {
  const { job, document } = context;
  const progress = board.part(key);
  const filter = new SectionTextFilter(key.part === 1 ? headingOf(key.section) : null, key.section, progress.text);
  // Its own abort, so a part that ran past its section stops alone; the job's abort stops it too.
  const request = new AbortController();
  const onJobAbort = () => request.abort(job.controller.signal.reason);
  if (job.controller.signal.aborted) return settle("cancelled");
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: aborting the part's request twice does nothing.
  job.controller.signal.addEventListener("abort", onJobAbort, { once: true });
  board.setState(key, "writing");

  const keep = (text: string) => {
    board.appendText(key, text);
    // Aborting an aborted request does nothing; its reason is never shown (an overrun part is complete).
    // Stryker disable next-line StringLiteral
    if (filter.overran) request.abort(new Error("the section is complete"));
  };
  try {
    const outcome = await runModelStream({
      ...partRequest(context, board, key, capitalized(partLabel(key, progress.parts))),
      prompt: sectionRequestPrompt({ topic: document.topic, outline: inputs.outline, number: key.section, part: key.part, parts: progress.parts, section2: inputs.section2 }),
      prefix: progress.text,
      signal: request.signal,
      continuationInstruction: () => sectionContinuationInstruction(key.section),
      onText: (delta) => keep(filter.push(delta)),
    });
    keep(filter.flush());
    if (outcome.status === "cancelled" && !filter.overran) return settle("cancelled");
    if (outcome.status === "failed") return settle("failed", outcome.error);
    if (!board.part(key).text.trim()) return settle("failed", `The model wrote nothing for ${partLabel(key, progress.parts)}.`);
    return settle("complete");
    // Stryker disable BlockStatement,StringLiteral: a listener left behind would only abort this finished request.
  } finally {
    job.controller.signal.removeEventListener("abort", onJobAbort);
  }
  // Stryker restore BlockStatement,StringLiteral

  function settle(state: PartResult, error: string | null = null): PartResult {
    board.setState(key, state, error);
    return state;
  }
}
