import type { ReactNode } from "react";
import { completeTail } from "@/lib/markdown/complete-tail";
import { splitStreamingFence } from "@/lib/markdown/open-fence";
import { MarkdownBlock } from "./MarkdownBlock";
import { StreamingCodeBlock } from "./StreamingCodeBlock";
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
      children.push(...renderTail(blocks, streaming));
    }
  }
  return (
    <div className="md-preview" data-testid="markdown-preview">
      {children}
    </div>
  );
}

/**
 * The tail is keyed with the index it will have once it becomes stable: when
 * it does, its last streamed source usually equals the stable block's text
 * (completeTail leaves "…\n\n" untouched), so the memoized block is reused
 * instead of parsing and highlighting the finished block a second time.
 */
function renderTail({ stableBlocks, tail, openFenceInTail }: MarkdownBlocks, streaming: boolean): ReactNode[] {
  const key = stableBlocks.length;
  if (!streaming) return [<MarkdownBlock key={key} source={tail} />];
  const fence = splitStreamingFence(tail, openFenceInTail);
  if (!fence) return [<MarkdownBlock key={key} source={completeTail(tail)} />];
  // The text before the open fence does not change while the fence grows: its memoized block is skipped.
  const before = fence.before === "" ? [] : [<MarkdownBlock key={`${key}-before`} source={completeTail(fence.before)} />, "\n"];
  return [...before, <StreamingCodeBlock key={`${key}-code`} language={fence.language} code={fence.code} />];
}
