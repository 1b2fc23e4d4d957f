import { documentText, HEAD_SECTION, type ParallelProgress } from "./section-parts";
import { DocumentError } from "./document-error";
import type { DesignDocument } from "./types";

/** What a restart of a parallel document stores: its parts, and the text readers that know only `text` start from. */
export interface ParallelRestart {
  parallel: ParallelProgress | null;
  markdown: string;
}

function restart(parallel: ParallelProgress | null): ParallelRestart {
  return { parallel, markdown: parallel ? documentText(parallel.parts, false) : "" };
}

/** Continue: every part that is not complete is written again, from its text (the outline too, when it was not finished). */
export function continueParts(document: DesignDocument): ParallelRestart {
  if (!document.parallel) return restart(null);
  return restart({
    outline: document.parallel.outline,
    parts: document.parallel.parts.map((part) => (part.state === "complete" ? part : { ...part, state: "queued", error: null })),
  });
}

/** The retry of one section: its parts are written again from nothing; every other part stays as it is. */
export function retrySectionParts(document: DesignDocument, section: number): ParallelRestart {
  const parallel = document.parallel;
  if (document.mode !== "parallel" || !parallel) {
    throw new DocumentError("not_parallel", "Only a document written in parallel mode has sections that can be retried alone; use Retry to write this one again.");
  }
  if (!parallel.outline || parallel.parts.find((part) => part.section === HEAD_SECTION)?.state !== "complete") {
    throw new DocumentError("not_resumable", "This document's outline was never finished, so its sections were not written: use Continue or Retry.");
  }
  return restart({
    outline: parallel.outline,
    parts: parallel.parts.map((part) =>
      part.section === section ? { ...part, state: "queued", text: "", error: null, continuations: 0 } : part,
    ),
  });
}
