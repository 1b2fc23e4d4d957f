/**
 * Incremental top-level block splitter for streamed Markdown.
 *
 * The text is cut at blank lines outside fenced code / raw-HTML blocks, but
 * only where rendering each side separately is guaranteed to give the same
 * output as rendering them together. Blocks before the last boundary are
 * "stable": they never change again, so a renderer can memoize them, and the
 * splitter itself never looks at them again.
 *
 * Work per append is proportional to the appended text: the unfinished last
 * line is buffered, only the new chunk is searched for newlines, and each
 * complete line is classified exactly once. All strings are built by
 * concatenation (V8 ropes), never by re-slicing the accumulated text.
 */
import {
  blockStartDecision,
  containsHtmlBlockEnd,
  htmlBlockEndMarker,
  isBlankLine,
  isFenceCloser,
  looksLikeDefinition,
  parseFenceOpener,
  startsListItem,
  type FenceOpener,
} from "./line-syntax";

export interface OpenFenceInTail {
  readonly fence: FenceOpener;
  /** Where the opener line starts in `tail`. */
  readonly offset: number;
}

export class MarkdownBlockSplitter {
  private readonly stable: string[] = [];
  /** Complete lines (with their "\n") of the block being built. */
  private currentBlock = "";
  /** Trailing text after the last "\n": not classified yet. */
  private partialLine = "";
  private currentHasContent = false;
  private afterBlankLine = false;
  private openFence: FenceOpener | null = null;
  /** Offset in the current block where the open fence's opener line starts. */
  private openFenceOffset = -1;
  private openHtmlEnd: string | null = null;
  private definitionsSeen = false;
  private charsScanned = 0;
  private totalLength = 0;

  /** Finished blocks; entries never change once pushed. */
  get stableBlocks(): readonly string[] {
    return this.stable;
  }

  /** The growing last block (everything after the last stable boundary). */
  get tail(): string {
    return this.currentBlock + this.partialLine;
  }

  /** Total length of everything appended so far. */
  get length(): number {
    return this.totalLength;
  }

  /**
   * True once a footnote or link reference definition was seen. Such
   * definitions affect other blocks, so from then on nothing more is split and
   * a final render must treat the whole document as one block.
   */
  get hasDocumentGlobalDefinitions(): boolean {
    // The unfinished last line counts too: a final text may end in a definition without "\n".
    return this.definitionsSeen || looksLikeDefinition(this.partialLine);
  }

  /** Whether the tail currently ends inside an unclosed code fence (complete lines only). */
  get insideFence(): boolean {
    return this.openFence !== null;
  }

  /**
   * The unclosed fence the tail ends in (judged on complete lines), with the
   * offset of its opener line inside `tail`; null when not inside a fence.
   */
  get openFenceInTail(): OpenFenceInTail | null {
    return this.openFence ? { fence: this.openFence, offset: this.openFenceOffset } : null;
  }

  /** Characters examined so far — lets tests prove the scan is incremental. */
  get scannedCharCount(): number {
    return this.charsScanned;
  }

  append(chunk: string): void {
    if (chunk.length === 0) return;
    this.totalLength += chunk.length;
    this.charsScanned += chunk.length;
    let start = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      const line = this.partialLine + chunk.slice(start, newline);
      this.partialLine = "";
      this.acceptLine(line);
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    this.partialLine += chunk.slice(start);
    this.splitBeforePartialLine();
  }

  /**
   * Close the previous block as soon as the first characters of the line after
   * a blank line show a new block starts there. Waiting for the whole line
   * would keep the finished block (often a big code block) in the tail, to be
   * re-rendered on every frame while that line streams in.
   */
  private splitBeforePartialLine(): void {
    if (!this.afterBlankLine || this.definitionsSeen || this.partialLine === "") return;
    if (blockStartDecision(this.partialLine.slice(0, 12)) !== true) return;
    this.stable.push(this.currentBlock);
    this.currentBlock = "";
    this.afterBlankLine = false;
  }

  /** Classify one complete line (without "\n") and place it in a block. */
  private acceptLine(line: string): void {
    // Each complete line is classified exactly once, on top of the newline search.
    this.charsScanned += line.length;
    const withNewline = line + "\n";

    if (this.openFence) {
      if (isFenceCloser(line, this.openFence)) this.openFence = null;
      this.currentBlock += withNewline;
      return;
    }
    if (this.openHtmlEnd) {
      if (containsHtmlBlockEnd(line, this.openHtmlEnd)) this.openHtmlEnd = null;
      this.currentBlock += withNewline;
      return;
    }
    if (isBlankLine(line)) {
      if (this.currentHasContent) this.afterBlankLine = true;
      this.currentBlock += withNewline;
      return;
    }

    if (this.afterBlankLine && this.canStartIndependentBlock(line)) {
      this.stable.push(this.currentBlock);
      this.currentBlock = "";
    }
    // From the block holding a definition on, everything stays in one block.
    if (looksLikeDefinition(line)) this.definitionsSeen = true;
    this.afterBlankLine = false;
    this.currentHasContent = true;
    this.currentBlock += withNewline;
    this.trackOpenings(line);
  }

  /**
   * Whether a block starting with `line` (after a blank line) renders the same
   * on its own as it does glued to the previous block.
   */
  private canStartIndependentBlock(line: string): boolean {
    if (this.definitionsSeen) return false;
    // Indented: list-item continuation or indented code — belongs to the previous block.
    if (line[0] === " " || line[0] === "\t") return false;
    // A list item after a blank line may continue a loose list: splitting would give two <ul>s.
    if (startsListItem(line)) return false;
    return true;
  }

  private trackOpenings(line: string): void {
    const fence = parseFenceOpener(line);
    if (fence) {
      this.openFence = fence;
      this.openFenceOffset = this.currentBlock.length - line.length - 1;
      return;
    }
    const htmlEnd = htmlBlockEndMarker(line);
    if (htmlEnd) {
      // The end marker may sit on the opening line itself (`<!-- note -->`).
      const openerLength = line.indexOf("<") + 2;
      if (!containsHtmlBlockEnd(line, htmlEnd, openerLength)) this.openHtmlEnd = htmlEnd;
    }
  }
}

/** One-shot split of a finished (or partial) text: stable blocks plus the tail. */
export function splitMarkdownBlocks(text: string): string[] {
  const splitter = new MarkdownBlockSplitter();
  splitter.append(text);
  const blocks = [...splitter.stableBlocks];
  const tail = splitter.tail;
  if (tail.length > 0) blocks.push(tail);
  return blocks;
}
