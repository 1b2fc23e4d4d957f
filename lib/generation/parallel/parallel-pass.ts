import "server-only";
import { HEAD_SECTION, partLabel, type Outline, type PartProgress, sectionParts } from "@/lib/documents/section-parts";
import type { FirstPassContext, FirstPassStrategy } from "../first-pass";
import type { ModelStreamOutcome } from "../run-model-stream";
import { HEAD, writeOutline } from "./outline-writer";
import { PartsBoard } from "./parts-board";
import { freshProgress, startRank, waitsFor } from "./plan";
import { writePart } from "./section-writer";

/**
 * `parallel` mode's first pass: the outline first (one short request), then every section as a
 * request of its own, up to SECTION_CONCURRENCY at once, in waves that let sections 4, 9 and 10
 * read section 2 once it is written. The document is the parts in order (PartsBoard). A failed
 * part fails only itself: the others go on, and the document ends `failed` with every other part
 * kept, ready for Continue (every unfinished part, from its text) or a retry of that section alone.
 * It writes the parts that are `queued`: all of them for a new document, those Continue or a
 * section's retry queued again otherwise.
 */
export const runParallelPass: FirstPassStrategy = async (context) => {
  const { job, document, config } = context;
  // Continue and the retry of a section queue the parts they write again (lib/documents/parallel-restart.ts).
  const board = new PartsBoard(job, document.parallel ?? freshProgress(config.splitImplementation));

  // The board holds an outline exactly when its head part is complete (Continue queues an unfinished head again).
  let outline = board.outline;
  if (!outline) {
    const result = await writeOutline(context, board);
    if (result.status !== "complete") {
      board.setState(HEAD, result.status, result.status === "failed" ? result.error : null);
      board.finish();
      const outcome: ModelStreamOutcome = result.status === "failed" ? { status: "failed", continuations: job.continuations, error: result.error } : { status: "cancelled", continuations: job.continuations };
      return { ...outcome, markdown: job.text };
    }
    outline = result.outline;
    board.setState(HEAD, "complete");
  }
  const outcome = await writeSections(context, board, outline);
  board.finish();
  return { ...outcome, markdown: job.text };
};

/** A section's text once all its parts are complete, else null. */
function finishedSection(board: PartsBoard, section: number): string | null {
  const parts = sectionParts(board.parts, section);
  return parts.length > 0 && parts.every((part) => part.state === "complete") ? parts.map((part) => part.text).join("") : null;
}

async function writeSections(context: FirstPassContext, board: PartsBoard, outline: Outline): Promise<ModelStreamOutcome> {
  const { job, config } = context;
  const signal = job.controller.signal;
  const queue = board.parts
    .filter((part) => part.section !== HEAD_SECTION && part.state === "queued")
    .sort((a, b) => startRank(a.section) - startRank(b.section) || a.part - b.part);
  const running = new Map<PartProgress, Promise<void>>();
  /** No part of the section is waiting or being written. */
  const settled = (section: number) => sectionParts(board.parts, section).every((part) => !queue.includes(part) && !running.has(part));

  const start = (part: PartProgress) => {
    const task = writePart(context, board, part, { outline, section2: finishedSection(board, 2) })
      .then(
        () => {},
        (error: unknown) => {
          console.error(`writing ${partLabel(part, part.parts)} of ${job.id} failed`, error);
          board.setState(part, "failed", "This part stopped because of an internal error; its text so far is kept.");
        },
      )
      .finally(() => running.delete(part));
    running.set(part, task);
  };

  while (queue.length > 0 || running.size > 0) {
    if (signal.aborted) {
      // Nothing new starts once the job is stopped (Stop, a shutdown, a spend limit).
      for (const part of queue.splice(0)) board.setState(part, "cancelled");
    }
    for (let index = 0; index < queue.length && running.size < config.sectionConcurrency; ) {
      const part = queue[index]!;
      if (!waitsFor(part.section).every(settled)) {
        index += 1;
        continue;
      }
      queue.splice(index, 1);
      start(part);
    }
    if (running.size === 0) break; // (every waiting part depends only on parts that are settled by now)
    await Promise.race(running.values());
  }

  if (signal.aborted) return { status: "cancelled", continuations: job.continuations };
  const failed = board.parts.filter((part) => part.section !== HEAD_SECTION && part.state !== "complete");
  if (failed.length === 0) return { status: "complete", continuations: job.continuations };
  return { status: "failed", continuations: job.continuations, error: failureMessage(failed) };
}

function failureMessage(failed: readonly PartProgress[]): string {
  const sections = [...new Set(failed.map((part) => part.section))];
  const reasons = failed.map((part) => `${partLabel(part, part.parts)}: ${part.error ?? "not written"}`).join("; ");
  const names = sections.length === 1 ? `Section ${sections[0]}` : `Sections ${sections.slice(0, -1).join(", ")} and ${sections.at(-1)}`;
  const retry = sections.length === 1 ? `retry section ${sections[0]} on its own` : "retry each on its own";
  return `${names} failed (${reasons}). The other sections are kept: ${retry}, or Continue to finish ${sections.length === 1 ? "it" : "them"} from the text written so far.`;
}
