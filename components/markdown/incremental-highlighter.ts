/**
 * Highlights a code block that only ever grows, without redoing finished lines.
 *
 * Finished lines are highlighted once and cached as a segment whenever the
 * highlighter ends them back in the language's top-level mode (not inside a
 * string / comment / template): from such a point, highlighting the rest on
 * its own yields the same tokens as highlighting the whole text. Per update
 * only the text after the last cached segment is highlighted.
 */
import { highlightCode, type TokenNode } from "./code-highlighter";

export interface CodeSegment {
  readonly code: string;
  readonly tokens: readonly TokenNode[];
}

export interface IncrementalHighlight {
  /** Cached segments: same objects across updates (safe to memoize on). */
  readonly segments: readonly CodeSegment[];
  /** Tokens for the code after the segments (redone every update). */
  readonly live: readonly TokenNode[];
}

export class IncrementalHighlighter {
  private language = "";
  private committed = "";
  private segments: CodeSegment[] = [];
  private highlightedChars = 0;

  /** Characters passed to the highlighter so far — lets tests prove finished lines are not redone. */
  get highlightedCharCount(): number {
    return this.highlightedChars;
  }

  update(code: string, language: string): IncrementalHighlight {
    if (language !== this.language || !code.startsWith(this.committed)) {
      this.language = language;
      this.committed = "";
      this.segments = [];
    }
    let rest = code.slice(this.committed.length);
    const lastNewline = rest.lastIndexOf("\n");
    if (lastNewline !== -1) {
      const finished = rest.slice(0, lastNewline + 1);
      const result = this.highlight(finished);
      if (result.endsAtTopLevel) {
        this.segments = [...this.segments, { code: finished, tokens: result.tokens }];
        this.committed += finished;
        rest = rest.slice(lastNewline + 1);
      }
    }
    return { segments: this.segments, live: rest === "" ? [] : this.highlight(rest).tokens };
  }

  private highlight(code: string) {
    this.highlightedChars += code.length;
    return highlightCode(code, this.language);
  }
}
