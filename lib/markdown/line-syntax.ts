/**
 * Single-line Markdown classifiers shared by the block splitter and the tail
 * completer. Each one looks at ONE line (without its trailing newline) and is
 * deliberately conservative: when in doubt they answer in the direction that
 * makes the splitter split less, because an unnecessary merge only costs a bit
 * of re-rendering while a wrong split changes the rendered document.
 */

export interface FenceOpener {
  /** "`" or "~". */
  readonly char: "`" | "~";
  /** Length of the opening run; the closer must be at least this long. */
  readonly length: number;
  /** Columns of indentation before the opener (tabs count as 4). */
  readonly indent: number;
  /** The info string after the run, trimmed ("ts", "typescript title=x", ""). */
  readonly info: string;
}

/** Column width of the leading whitespace (tab = 4, as CommonMark tab stops). */
export function indentWidth(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 32) width += 1;
    else if (ch === 9) width += 4 - (width % 4);
    else break;
  }
  return width;
}

export function isBlankLine(line: string): boolean {
  return /^[ \t\r]*$/.test(line);
}

/**
 * The one pattern for a line that starts a code fence (or could close one), at any indentation.
 * Everything that finds fences — the preview's block splitter, the section checker, the type
 * checker — uses it, so they agree on what is code.
 */
export const FENCE_LINE = /^[ \t]*(`{3,}|~{3,})(.*)$/;

/**
 * A fenced-code opener at ANY indentation. CommonMark only allows 0–3 spaces
 * relative to the container, but we do not track list containers; treating a
 * deeper-indented run as a fence only makes the splitter more cautious.
 */
export function parseFenceOpener(line: string): FenceOpener | null {
  const match = FENCE_LINE.exec(line.replace(/\r$/, ""));
  if (!match) return null;
  const run = match[1] ?? "";
  const info = match[2] ?? "";
  const char = run[0] === "~" ? "~" : "`";
  // A backtick fence's info string may not contain backticks (``` a ``` is inline code).
  if (char === "`" && info.includes("`")) return null;
  return { char, length: run.length, indent: indentWidth(line), info: info.trim() };
}

/**
 * Whether `line` closes `fence`. Same character, at least as long, nothing but
 * whitespace after it, indented no deeper than the opener (or 3 columns for a
 * top-level fence) — which is how both humans and LLMs write closers.
 */
export function isFenceCloser(line: string, fence: FenceOpener): boolean {
  const trimmed = line.replace(/[ \t\r]+$/, "");
  const indent = indentWidth(trimmed);
  if (indent > Math.max(3, fence.indent)) return false;
  const run = trimmed.slice(trimmed.length - trimmed.trimStart().length);
  if (run.length < fence.length) return false;
  for (let i = 0; i < run.length; i++) if (run[i] !== fence.char) return false;
  return true;
}

/**
 * HTML blocks of CommonMark types 1–5 (<script>, <pre>, <style>, <textarea>,
 * comments, processing instructions, declarations, CDATA) do NOT end at a blank
 * line but at an end marker, so the splitter must not split inside them even
 * though skipHtml drops them from the output. Returns the end marker, or null.
 */
export function htmlBlockEndMarker(line: string): string | null {
  const rest = line.trimStart().toLowerCase();
  const raw = /^<(script|pre|style|textarea)(?:[\s>]|$)/.exec(rest);
  if (raw) return `</${raw[1]}>`;
  if (rest.startsWith("<!--")) return "-->";
  if (rest.startsWith("<?")) return "?>";
  if (rest.startsWith("<![cdata[")) return "]]>";
  if (/^<![a-z]/.test(rest)) return ">";
  return null;
}

/** Whether the end marker occurs on `line` (after `from`, for the opening line). */
export function containsHtmlBlockEnd(line: string, marker: string, from = 0): boolean {
  return line.toLowerCase().indexOf(marker, from) !== -1;
}

/** Bullet (-, +, *) or ordered (1. / 1)) list-item start at column 0. */
export function startsListItem(line: string): boolean {
  return /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|\r?$)/.test(line);
}

/**
 * Footnote definitions (`[^x]: …`) and link reference definitions
 * (`[x]: url`) are document-global: they change how text in OTHER blocks
 * renders. Matches them also inside block quotes / list items (any prefix of
 * whitespace and `>`), erring on the side of matching.
 */
export function looksLikeDefinition(line: string): boolean {
  return /^[ \t>]*\[(?:[^\]\\]|\\.)+\]:/.test(line);
}

/**
 * Whether a block may start at a line that begins with `lineStart` (after a
 * blank line), judged from as few characters as possible so the splitter can
 * close the previous block before the whole line has streamed in:
 * true = may split, false = must not (indented / list item), null = not known yet.
 * Must agree with the complete-line rule (leading whitespace or startsListItem → false).
 */
export function blockStartDecision(lineStart: string): boolean | null {
  const first = lineStart[0];
  if (first === undefined || first === " " || first === "\t" || first === "\r") return null; // maybe a blank line
  if (first === "-" || first === "+" || first === "*") {
    const second = lineStart[1];
    if (second === undefined || second === "\r") return null;
    return !(second === " " || second === "\t");
  }
  const digits = /^\d*/.exec(lineStart)?.[0].length ?? 0;
  if (digits === 0 || digits > 9) return true;
  const delimiter = lineStart[digits];
  if (delimiter === undefined) return null;
  if (delimiter !== "." && delimiter !== ")") return true;
  const after = lineStart[digits + 1];
  if (after === undefined || after === "\r") return null;
  return !(after === " " || after === "\t");
}
