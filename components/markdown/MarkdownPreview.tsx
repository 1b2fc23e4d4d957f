"use client";

import type { ReactNode } from "react";
import { completeTail } from "@/lib/markdown/complete-tail";
import { MarkdownBlock } from "./MarkdownBlock";
import { useMarkdownBlocks } from "./use-markdown-blocks";
import "./markdown-preview.css";

/**
 * Live preview of a streamed Markdown document.
 *
 * Finished blocks render once (memoized); only the growing tail re-renders per
 * update, after `completeTail` made it well-formed. With streaming=false the
 * output is byte-identical to a one-shot <Markdown> render of the same text
 * with the same options: react-markdown separates top-level elements with
 * "\n" text nodes, so blocks are joined with "\n" as well.
 */
export function MarkdownPreview({ markdown, streaming }: { markdown: string; streaming: boolean }) {
  const { stableBlocks, tail, hasDocumentGlobalDefinitions } = useMarkdownBlocks(markdown);

  const children: ReactNode[] = [];
  if (!streaming && hasDocumentGlobalDefinitions) {
    // Footnotes / reference links resolve across blocks: the final render must see the whole text.
    children.push(<MarkdownBlock key="document" source={markdown} />);
  } else {
    stableBlocks.forEach((block, index) => {
      if (index > 0) children.push("\n");
      children.push(<MarkdownBlock key={index} source={block} />);
    });
    if (tail.length > 0) {
      if (stableBlocks.length > 0) children.push("\n");
      children.push(<MarkdownBlock key="tail" source={streaming ? completeTail(tail) : tail} />);
    }
  }

  return (
    <div className="md-preview" data-testid="markdown-preview">
      {children}
    </div>
  );
}
