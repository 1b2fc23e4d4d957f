import { memo } from "react";
import Markdown from "react-markdown";
import { markdownOptions } from "./markdown-options";

/**
 * One top-level Markdown block. Memoized on its source text: a stable block
 * is parsed, highlighted and reconciled once, then skipped on every later frame.
 */
export const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return <Markdown {...markdownOptions}>{source}</Markdown>;
});
