"use client";

import { useMemo } from "react";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { MarkdownBlocksView } from "./MarkdownBlocksView";
import { TypecheckBadgesContext } from "./typecheck-badges";
import { useMarkdownBlocks } from "./use-markdown-blocks";
import "./markdown-preview.css";

/**
 * Live preview of a streamed Markdown document (also used for the SSR'd
 * permalink page with streaming=false).
 *
 * Finished blocks render once (memoized); only the growing tail re-renders per
 * update, after `completeTail` made it well-formed. The splitter is kept
 * across renders, so each update only scans the newly appended text.
 * With streaming=false the output equals a one-shot render of `markdown`
 * (plus, with a type-check result, a badge after each checked code block).
 */
export function MarkdownPreview({ markdown, streaming, typecheck }: { markdown: string; streaming: boolean; typecheck?: TypecheckResult | null }) {
  const blocks = useMarkdownBlocks(markdown);
  // Badges only for the text that was checked (not while a new version streams).
  const current = typecheck && typecheck.status === "checked" && typecheck.checkedLength === markdown.length ? typecheck : null;
  const badges = useMemo(() => (current ? new Map(current.blocks.map((block) => [block.key, block])) : null), [current]);
  return (
    <TypecheckBadgesContext.Provider value={badges}>
      <MarkdownBlocksView blocks={blocks} markdown={markdown} streaming={streaming} />
    </TypecheckBadgesContext.Provider>
  );
}
