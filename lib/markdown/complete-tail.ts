/**
 * Makes the streamed tail block well-formed before it is rendered, so the
 * preview shows "content in progress" rather than raw Markdown syntax:
 * - an unclosed code fence gets a closing fence (the block renders as code),
 * - a table header without its delimiter row yet is held back,
 * - a partial setext underline (`Para\n-`) is held back (it would flash a heading),
 * - unclosed `**` / `*` / `_` / `~~` / `` ` `` and half-written links on the
 *   last line are completed or hidden.
 * Only applied while streaming: the final render always uses the real text.
 */
import { completeInlineLine } from "./complete-inline";
import { tableLinesToHoldBack } from "./complete-table";
import { indentWidth, isBlankLine, isFenceCloser, parseFenceOpener, type FenceOpener } from "./line-syntax";

export function completeTail(tail: string): string {
  const lines = tail.split("\n");
  const fence = openFenceAtEnd(lines);
  if (fence) return closeFence(lines, fence);

  // A trailing "\n" leaves an empty last element; the structure is decided by the lines before it.
  const endsWithNewline = lines.length > 1 && lines[lines.length - 1] === "";
  const content = endsWithNewline ? lines.slice(0, -1) : lines;

  const heldTableLines = tableLinesToHoldBack(content);
  if (heldTableLines > 0) return joinKeptLines(content, content.length - heldTableLines);
  if (!endsWithNewline && isPartialSetextUnderline(content)) return joinKeptLines(content, content.length - 1);
  if (!endsWithNewline && isPartialFenceOpener(content)) return joinKeptLines(content, content.length - 1);

  const lastIndex = content.length - 1;
  const last = content[lastIndex] ?? "";
  // A just-closed fence's closer (or any fence line) is not inline text.
  if (last === "" || parseFenceOpener(last) || looksLikeIndentedCode(content)) return tail;
  const completed = [...content.slice(0, lastIndex), completeInlineLine(last)].join("\n");
  return endsWithNewline ? completed + "\n" : completed;
}

/** The fence still open after the last line (partial last line included), if any. */
function openFenceAtEnd(lines: readonly string[]): FenceOpener | null {
  let fence: FenceOpener | null = null;
  for (const line of lines) {
    if (fence) {
      if (isFenceCloser(line, fence)) fence = null;
    } else {
      fence = parseFenceOpener(line);
    }
  }
  return fence;
}

function closeFence(lines: readonly string[], fence: FenceOpener): string {
  let kept = lines;
  const last = kept[kept.length - 1] ?? "";
  // A partial closer (`` ` ``/``` `` ```) would show up as code content for a frame.
  const partialCloser = new RegExp(`^[ \\t]*\\${fence.char}+$`);
  if (kept.length > 1 && partialCloser.test(last)) kept = kept.slice(0, -1);
  const body = kept.join("\n");
  const indent = " ".repeat(Math.min(fence.indent, 3));
  const closer = indent + fence.char.repeat(fence.length);
  return (body.endsWith("\n") ? body : body + "\n") + closer + "\n";
}

function joinKeptLines(lines: readonly string[], keep: number): string {
  if (keep <= 0) return "";
  return lines.slice(0, keep).join("\n") + "\n";
}

/** `Para\n-` or `Para\n=`: would render as a setext heading until the line grows. */
function isPartialSetextUnderline(lines: readonly string[]): boolean {
  const last = lines[lines.length - 1] ?? "";
  const previous = lines[lines.length - 2];
  return /^ {0,3}(?:-+|=+)[ \t]*$/.test(last) && previous !== undefined && !isBlankLine(previous);
}

/** "`" / "``" / "~~" alone: probably the start of a fence, not inline code. */
function isPartialFenceOpener(lines: readonly string[]): boolean {
  return /^[ \t]*(?:`{1,2}|~{1,2})$/.test(lines[lines.length - 1] ?? "");
}

/** An indented code block (not a nested list item): inline completion does not apply. */
function looksLikeIndentedCode(lines: readonly string[]): boolean {
  const last = lines[lines.length - 1] ?? "";
  if (indentWidth(last) < 4 || /^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]/.test(last)) return false;
  let i = lines.length - 2;
  while (i >= 0 && indentWidth(lines[i] ?? "") >= 4) i--;
  const before = lines[i];
  return before === undefined || isBlankLine(before);
}
