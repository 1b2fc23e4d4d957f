"use client";

import { retryDocumentSection, type PublicDocument } from "@/lib/client/studio-api";
import { HEAD_SECTION } from "@/lib/documents/section-parts";
import { ActionProblem, usePendingAction } from "./pending-action";
import type { LivePart } from "./use-document-stream";

/**
 * A stopped parallel document's unfinished sections, each with its own Retry: the section is
 * written again from nothing and every other part is kept.
 */
export function SectionFailures({ id, parts, onRestarted }: { id: string; parts: LivePart[]; onRestarted(document: PublicDocument): void }) {
  const { busy, problem, run } = usePendingAction<number>();
  const headDone = parts.some((part) => part.section === HEAD_SECTION && part.state === "complete");
  const unfinished = [...new Set(parts.filter((part) => part.section !== HEAD_SECTION && part.state !== "complete").map((part) => part.section))];
  if (!headDone || unfinished.length === 0) return null;

  const retry = (section: number) => run(section, async () => onRestarted(await retryDocumentSection(id, section)));

  return (
    <div className="section-failures" data-testid="section-failures">
      <span>Not finished: </span>
      {unfinished.map((section) => {
        const error = parts.find((part) => part.section === section && part.error)?.error;
        return (
          <button key={section} type="button" className="button" onClick={() => void retry(section)} disabled={busy !== null} title={error ?? undefined}>
            {busy === section ? `Retrying section ${section}…` : `Retry section ${section}`}
          </button>
        );
      })}
      <ActionProblem problem={problem} />
    </div>
  );
}
