import "server-only";
import { isFenceCloser, parseFenceOpener, type FenceOpener } from "@/lib/markdown/line-syntax";

/** Text a heading line can be recognised in: enough for `## 12. ` and more. */
const HEADING_DECISION_CHARS = 400;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const TOP_HEADING = /^ {0,3}#{1,2}(?:[ \t]|$)/;

/**
 * Keeps one section request's text to its section, as it streams. The first part of a section
 * always starts with a level-2 heading of that section: the model's own (`# 5. Implementation`
 * becomes `## 5. Implementation`), the canonical one (`## 5. Full Production-Grade
 * Implementation`) in place of any other heading the model started with, or added before prose. A document title or a section heading after that (an H1 or H2 outside
 * code: the model going on with the next section, or a closing summary) ends the section: that
 * line and everything after it are dropped, and `overran` tells the writer to stop the request.
 * A repeat of its own heading right after the first is dropped. Lines are held back only while
 * they may still be such a heading (they start with `#`), so text streams without delay.
 */
export class SectionTextFilter {
  private pending = "";
  /** Still deciding the first line (first parts only). */
  private awaitingHeading: boolean;
  private fence: FenceOpener | null = null;
  private stopped = false;
  /** Only blank lines were kept since the heading: a repeated heading here is dropped, not an overrun. */
  private justAfterHeading: boolean;
  /** The start of the current line was already judged and kept: the rest of it is kept as it comes. */
  private midLine = false;
  /** Blank lines after the heading, kept once something other than a repeated heading follows them. */
  private heldBlanks = "";

  /**
   * @param heading the section's heading line, for the first part of a section; null for later parts.
   * @param sectionNumber the section's number (a repeat of its own heading is not an overrun).
   * @param written text already kept for this part (Continue): its heading is already there.
   */
  constructor(
    private readonly heading: string | null,
    private readonly sectionNumber: number,
    written = "",
  ) {
    this.awaitingHeading = heading !== null && written === "";
    this.justAfterHeading = this.awaitingHeading;
    this.scanFences(written);
  }

  /** The model went past its section: the rest of this request is not wanted. */
  get overran(): boolean {
    return this.stopped;
  }

  /** Text to keep now (possibly empty while a line is held back). */
  push(delta: string): string {
    if (this.stopped || !delta) return "";
    this.pending += delta;
    return this.release(false);
  }

  /** The request ended: whatever is held is judged as it is. */
  flush(): string {
    if (this.stopped) return "";
    return this.release(true);
  }

  private release(final: boolean): string {
    let kept = "";
    if (this.awaitingHeading) {
      const start = this.pending.search(/\S/);
      const lineEnd = start === -1 ? -1 : this.pending.indexOf("\n", start);
      if (lineEnd === -1 && !final && this.pending.length < HEADING_DECISION_CHARS) return "";
      this.awaitingHeading = false;
      const body = start === -1 ? "" : this.pending.slice(start);
      const firstLine = lineEnd === -1 ? body : this.pending.slice(start, lineEnd);
      // Awaiting a heading means there is one (the constructor): `?? ""` only satisfies the type checker.
      if (ATX_HEADING.test(firstLine)) {
        // The model's heading for this section keeps its words at level 2; any other heading (a document title) gives way to the canonical one.
        const own = /^ {0,3}#{1,6}[ \t]+((?:section[ \t]+)?(\d{1,2})\b.*?)[ \t#]*$/i.exec(firstLine);
        // Stryker disable next-line StringLiteral
        const heading = own && Number(own[2]) === this.sectionNumber ? `## ${own[1]}` : (this.heading ?? "");
        kept = lineEnd === -1 ? heading : `${heading}\n`;
        this.pending = lineEnd === -1 ? "" : this.pending.slice(lineEnd + 1);
      } else {
        // Stryker disable next-line StringLiteral
        kept = `${this.heading ?? ""}\n\n`;
        this.pending = body;
      }
    }
    for (;;) {
      const newline = this.pending.indexOf("\n");
      const line = newline < 0 ? this.pending : this.pending.slice(0, newline);
      if (!this.pending) break;
      if (this.midLine) {
        kept += newline < 0 ? this.pending : this.pending.slice(0, newline + 1);
        this.pending = newline < 0 ? "" : this.pending.slice(newline + 1);
        this.midLine = newline < 0;
        continue;
      }
      // An unfinished line waits while its start may still be a heading or a fence.
      if (newline < 0 && !final && /^[ \t]*([#`~][^\n]*)?$/.test(line) && line.length < HEADING_DECISION_CHARS) break;
      const verdict = this.judge(line);
      if (verdict === "stop") {
        // Nothing is read once stopped.
        this.stopped = true;
        return kept;
      }
      const consumed = newline < 0 ? this.pending : this.pending.slice(0, newline + 1);
      this.pending = newline < 0 ? "" : this.pending.slice(newline + 1);
      if (verdict === "keep") {
        kept += this.heldBlanks + consumed;
        this.heldBlanks = "";
      } else if (verdict === "hold") {
        this.heldBlanks += consumed;
      } else {
        this.heldBlanks = ""; // "drop": a repeat of the heading, and the blank lines before it
      }
      // A line kept before its end: the rest of it follows unjudged (a dropped one is dropped whole).
      if (newline < 0) this.midLine = verdict === "keep";
    }
    // The request ended: blank lines held after the heading are kept after all.
    return final ? kept + this.heldBlanks : kept;
  }

  private judge(line: string): "keep" | "hold" | "drop" | "stop" {
    if (this.fence) {
      if (isFenceCloser(line, this.fence)) this.fence = null;
      this.justAfterHeading = false;
      return "keep";
    }
    const opener = parseFenceOpener(line);
    if (opener) {
      this.fence = opener;
      this.justAfterHeading = false;
      return "keep";
    }
    if (/^[ \t\r]*$/.test(line)) return this.justAfterHeading ? "hold" : "keep";
    if (TOP_HEADING.test(line)) {
      const number = /^ {0,3}#{1,2}[ \t]+(?:section[ \t]+)?(\d{1,2})\b/i.exec(line)?.[1];
      if (this.justAfterHeading && Number(number) === this.sectionNumber) return "drop";
      return "stop";
    }
    this.justAfterHeading = false;
    return "keep";
  }

  private scanFences(text: string): void {
    for (const line of text.split("\n")) {
      if (this.fence) {
        if (isFenceCloser(line, this.fence)) this.fence = null;
      } else {
        this.fence = parseFenceOpener(line);
      }
    }
  }
}
