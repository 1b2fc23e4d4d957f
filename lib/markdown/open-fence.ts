/**
 * Splits a streaming tail that ends inside an unclosed top-level code fence
 * into the Markdown before the fence and the fence's language + code so far,
 * so the growing code can be highlighted incrementally instead of re-parsing
 * and re-highlighting the whole block every frame.
 */
import type { OpenFenceInTail } from "./blocks";
import { isFenceCloser } from "./line-syntax";

export interface StreamingFence {
  /** Complete Markdown lines before the opener (unchanged while the fence grows). */
  readonly before: string;
  /** First word of the info string, as react-markdown uses it for `language-*`. */
  readonly language: string;
  /** Code so far, without a half-written closing fence. */
  readonly code: string;
}

export function splitStreamingFence(tail: string, open: OpenFenceInTail | null): StreamingFence | null {
  // Indented fences (inside list items) keep the generic path: their content is de-indented by the parser.
  if (!open || open.fence.indent !== 0) return null;
  const openerEnd = tail.indexOf("\n", open.offset);
  if (openerEnd === -1) return null;
  const openerLine = tail.slice(open.offset, openerEnd);
  let code = tail.slice(openerEnd + 1);

  const lastNewline = code.lastIndexOf("\n");
  const partialLine = code.slice(lastNewline + 1);
  if (partialLine !== "") {
    // The closer has arrived but its newline has not: the block is finished, use the exact path.
    if (isFenceCloser(partialLine, open.fence)) return null;
    // A closer still being typed ("``") would flash as code for a frame.
    if (/^[ \t]*[`~]+[ \t]*$/.test(partialLine) && partialLine.trim()[0] === open.fence.char) code = code.slice(0, lastNewline + 1);
  }

  const info = openerLine.trim().slice(open.fence.length).trim();
  const language = info.split(/\s/)[0] ?? "";
  return { before: tail.slice(0, open.offset), language, code };
}
