import { useRef } from "react";
import { MarkdownBlockSplitter, type OpenFenceInTail } from "@/lib/markdown/blocks";

interface SplitterState {
  splitter: MarkdownBlockSplitter;
  /** The text the splitter has consumed. */
  seen: string;
}

export interface MarkdownBlocks {
  readonly stableBlocks: readonly string[];
  readonly tail: string;
  readonly hasDocumentGlobalDefinitions: boolean;
  /** The unclosed code fence the tail ends in, if any (drives incremental highlighting). */
  readonly openFenceInTail: OpenFenceInTail | null;
}

/**
 * Splits `markdown` into blocks, incrementally across renders: when the new
 * text extends the previous one only the appended part is scanned. Anything
 * else (a different document, an edit) starts over with a fresh splitter.
 *
 * Writing the ref during render is deliberate: the state is a pure function
 * of `markdown` (re-running with the same text is a no-op and a discarded
 * render just leaves a cache that is still valid for that text), and moving
 * it into an effect would render every chunk twice.
 */
export function useMarkdownBlocks(markdown: string): MarkdownBlocks {
  const state = useRef<SplitterState | null>(null);
  /* eslint-disable react-hooks/refs -- render-time cache keyed by `markdown`, see above */
  let current = state.current;
  if (current === null || !markdown.startsWith(current.seen)) {
    current = { splitter: new MarkdownBlockSplitter(), seen: "" };
    state.current = current;
  }
  if (markdown.length > current.seen.length) {
    current.splitter.append(markdown.slice(current.seen.length));
    current.seen = markdown;
  }
  const { splitter } = current;
  /* eslint-enable react-hooks/refs */
  return {
    stableBlocks: splitter.stableBlocks,
    tail: splitter.tail,
    hasDocumentGlobalDefinitions: splitter.hasDocumentGlobalDefinitions,
    openFenceInTail: splitter.openFenceInTail,
  };
}
