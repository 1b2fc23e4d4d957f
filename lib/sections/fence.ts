/**
 * Fenced code block tracking (``` and ~~~, any length ≥ 3, with info strings).
 * Lines inside a fence are never headings or prose; their features are summarised
 * per block so checks can ask "was this an ASCII diagram?" or "was this TypeScript?".
 */

import { parseFenceOpener } from "@/lib/markdown/line-syntax";

export interface OpenFence {
  char: "`" | "~";
  length: number;
  /** First word of the info string, lowercased ("" when absent). */
  lang: string;
  lineNo: number;
  lines: number;
  /** Lines drawn with arrows, box corners, lanes. */
  drawnLines: number;
  /** Lines that look like program code (statements, braces, keywords). */
  codeLikeLines: number;
}

/** Parse an opening fence; list items may indent fences further than 3 spaces. */
export function openFence(raw: string, lineNo: number, allowDeepIndent: boolean): OpenFence | null {
  const opener = parseFenceOpener(raw);
  if (!opener) return null;
  if (opener.indent > 3 && !allowDeepIndent) return null;
  return {
    char: opener.char,
    length: opener.length,
    lang: (opener.info.split(/\s/)[0] ?? "").toLowerCase().replace(/^\{?\.?/, "").replace(/[,}].*$/, ""),
    lineNo,
    lines: 0,
    drawnLines: 0,
    codeLikeLines: 0,
  };
}

export function closesFence(fence: OpenFence, raw: string): boolean {
  const trimmed = raw.trim();
  if (trimmed.length < fence.length) return false;
  for (let i = 0; i < trimmed.length; i++) if (trimmed[i] !== fence.char) return false;
  return true;
}

// Arrows, box-drawing characters, ASCII boxes (+---+), lanes (| … |), lone v/^ connectors.
const DRAWN = /-{1,}>|<-{1,}|={1,}>|[→←↑↓↔⇒⇐▶◀▼▲►◄]|[│┌┐└┘├┤┬┴┼─═║╔╗╚╝]|\+-{2,}|-{2,}\+|\|[^|]*\||^\s*[|v^]\s*$/;
const CODE_LIKE = /;\s*$|\{\s*$|^\s*\}|^\s*(?:const|let|var|function|return|if\s*\(|for\s*\(|while\s*\(|await\s|async\s|import\s|export\s|class\s|def\s)|\)\s*\{|=>\s*\{/;

export function addFenceLine(fence: OpenFence, raw: string): void {
  if (raw.trim() === "") return;
  fence.lines++;
  if (DRAWN.test(raw)) fence.drawnLines++;
  if (CODE_LIKE.test(raw)) fence.codeLikeLines++;
}

const PLAIN_TEXT_LANGS = new Set(["", "text", "txt", "ascii", "plaintext", "plain", "diagram", "asciiart"]);
const TS_LANGS = new Set(["ts", "typescript", "tsx", "mts", "cts"]);

/** A plain-text block drawn with arrows/boxes/lanes, not pseudo-code. */
export function isAsciiDiagram(fence: OpenFence): boolean {
  return PLAIN_TEXT_LANGS.has(fence.lang) && fence.drawnLines >= 2 && fence.codeLikeLines * 2 < fence.drawnLines;
}

export function isTypeScript(fence: OpenFence): boolean {
  return TS_LANGS.has(fence.lang);
}
