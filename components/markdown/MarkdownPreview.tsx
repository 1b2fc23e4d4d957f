"use client";

import { MarkdownBlocksView } from "./MarkdownBlocksView";
import { useMarkdownBlocks } from "./use-markdown-blocks";
import "./markdown-preview.css";

/**
 * Live preview of a streamed Markdown document (also used for the SSR'd
 * permalink page with streaming=false).
 *
 * Finished blocks render once (memoized); only the growing tail re-renders per
 * update, after `completeTail` made it well-formed. The splitter is kept
 * across renders, so each update only scans the newly appended text.
 * With streaming=false the output equals a one-shot render of `markdown`.
 */
export function MarkdownPreview({ markdown, streaming }: { markdown: string; streaming: boolean }) {
  const blocks = useMarkdownBlocks(markdown);
  return <MarkdownBlocksView blocks={blocks} markdown={markdown} streaming={streaming} />;
}
