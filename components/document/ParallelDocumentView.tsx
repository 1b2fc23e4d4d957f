"use client";

import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { HEAD_SECTION, type Outline } from "@/lib/documents/section-parts";
import type { LivePart } from "./use-document-stream";

const PLACEHOLDER: Record<LivePart["state"], string> = {
  queued: "queued",
  writing: "writing…",
  complete: "written",
  failed: "failed",
  cancelled: "stopped",
};

function placeholderText(part: LivePart, outline: Outline | null): string {
  if (part.section === HEAD_SECTION) return part.state === "writing" ? "Planning the document…" : "The outline is queued.";
  const label = part.parts > 1 ? `Section ${part.section}, part ${part.part} of ${part.parts}` : `Section ${part.section}`;
  const covers = part.part === 1 ? outline?.sections.find((section) => section.number === part.section)?.covers : undefined;
  return `${label}: ${PLACEHOLDER[part.state]}${covers ? `. Planned: ${covers}` : ""}`;
}

/**
 * A parallel document while it is written: every part in its place, each filling in as its own
 * request streams (the outline's plan shows where a part has not started yet).
 */
export function ParallelDocumentView({ parts, outline }: { parts: LivePart[]; outline: Outline | null }) {
  return (
    <div className="parallel-document" data-testid="parallel-document">
      {parts.map((part) => (
        <div
          key={`${part.section}.${part.part}`}
          className="parallel-part"
          data-testid={`part-${part.section}-${part.part}`}
          data-state={part.state}
          aria-busy={part.state === "writing"}
        >
          {part.text ? (
            <MarkdownPreview markdown={part.text} streaming={part.state === "writing"} />
          ) : (
            <p className="empty-doc parallel-placeholder">{placeholderText(part, outline)}</p>
          )}
          {part.state === "failed" && part.error ? (
            <p className="parallel-part-error" role="status">
              {part.parts > 1 ? `Section ${part.section}, part ${part.part}` : part.section === HEAD_SECTION ? "The outline" : `Section ${part.section}`} failed: {part.error}
            </p>
          ) : null}
        </div>
      ))}
    </div>
  );
}
