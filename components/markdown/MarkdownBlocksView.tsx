import type { ReactNode } from "react";
import { completeTail } from "@/lib/markdown/complete-tail";
import { MarkdownBlock } from "./MarkdownBlock";
import type { MarkdownBlocks } from "./use-markdown-blocks";

/**
 * Renders already-split blocks. Separate from MarkdownPreview so tests can
 * drive it with a splitter fed chunk by chunk (SSR keeps no refs between renders).
 *
 * react-markdown separates top-level elements with "\n" text nodes, so blocks
 * are joined with "\n" too: with streaming=false the markup is byte-identical
 * to a one-shot <Markdown> render of `markdown`.
 */
export function MarkdownBlocksView({
  blocks,
  markdown,
  streaming,
}: {
  blocks: MarkdownBlocks;
  markdown: string;
  streaming: boolean;
}) {
  const { stableBlocks, tail, hasDocumentGlobalDefinitions } = blocks;
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
