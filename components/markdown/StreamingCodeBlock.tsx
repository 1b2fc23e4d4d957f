import { createElement, memo, useRef, type ReactNode } from "react";
import { CodeFrame, isDiagram } from "./CodeFrame";
import { isHighlightable, type TokenNode } from "./code-highlighter";
import { IncrementalHighlighter } from "./incremental-highlighter";

/**
 * The code fence that is still being streamed. Re-highlighting a growing code
 * block on every frame dominated the per-frame cost (see bench/render), so
 * finished lines are highlighted once (IncrementalHighlighter) and rendered by
 * memoized segments; only the last line(s) are redone per frame.
 *
 * Renders the same element shape as a finished block (CodeFrame around
 * rehype-highlight's <pre><code class="hljs language-x"><span class="hljs-…">).
 * Once the fence closes the block goes through react-markdown like every
 * other block, so the final DOM is exact.
 */

export function renderTokens(tokens: readonly TokenNode[]): ReactNode[] {
  return tokens.map((token, index) =>
    typeof token === "string" ? token : createElement("span", { key: index, className: token.className }, renderTokens(token.children)),
  );
}

const HighlightedSegment = memo(function HighlightedSegment({ tokens }: { tokens: readonly TokenNode[] }) {
  return <>{renderTokens(tokens)}</>;
});

export function StreamingCodeBlock({ language, code }: { language: string; code: string }) {
  const highlighterRef = useRef<IncrementalHighlighter | null>(null);
  const highlight = language !== "" && isHighlightable(language);

  let content: ReactNode = code;
  if (highlight) {
    /* eslint-disable react-hooks/refs -- render-time cache keyed by (language, code prefix); re-running is a no-op */
    highlighterRef.current ??= new IncrementalHighlighter();
    const { segments, live } = highlighterRef.current.update(code, language);
    /* eslint-enable react-hooks/refs */
    content = (
      <>
        {segments.map((segment, index) => (
          <HighlightedSegment key={index} tokens={segment.tokens} />
        ))}
        {renderTokens(live)}
      </>
    );
  }

  // rehype-highlight marks every fence with a language as "hljs", known grammar or not.
  const className = language ? `hljs language-${language}` : undefined;
  return (
    <CodeFrame language={language} kind={isDiagram(language, code) ? "diagram" : "code"}>
      <code className={className}>
        {content}
        {code.endsWith("\n") || code === "" ? null : "\n"}
      </code>
    </CodeFrame>
  );
}
