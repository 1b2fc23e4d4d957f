/**
 * Finds a document's ```ts / ```typescript blocks with the same fence rules the preview's
 * block splitter uses (lib/markdown/line-syntax), and keys each block by its code so the
 * rendered preview can find its badge. Browser-safe.
 */
import { indentWidth, isFenceCloser, parseFenceOpener, type FenceOpener } from "@/lib/markdown/line-syntax";

const CHECKED_LANGUAGES = new Set(["ts", "typescript"]);

export interface CodeBlock {
  /** Position among the document's ts/typescript blocks, from 0. */
  index: number;
  code: string;
  /** UTF-16 offset of the opening fence line. */
  offset: number;
  /** 1-based document line of the opening fence. */
  fenceLine: number;
  key: string;
}

/** The ts/typescript fenced blocks in document order (an unclosed last fence counts). */
export function typeScriptBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: FenceOpener; checked: boolean; offset: number; fenceLine: number; lines: string[] } | null = null;
  let offset = 0;
  let lineNo = 0;
  const finish = () => {
    if (open?.checked) {
      const code = open.lines.join("\n");
      blocks.push({ index: blocks.length, code, offset: open.offset, fenceLine: open.fenceLine, key: blockKey(code) });
    }
    open = null;
  };
  for (const rawLine of markdown.split("\n")) {
    lineNo++;
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (open) {
      if (isFenceCloser(line, open.fence)) finish();
      else open.lines.push(stripIndent(line, open.fence.indent));
    } else {
      const fence = parseFenceOpener(line);
      if (fence) {
        const info = line.trimStart().slice(fence.length).trim();
        const language = (info.split(/\s+/)[0] ?? "").toLowerCase();
        open = { fence, checked: CHECKED_LANGUAGES.has(language), offset, fenceLine: lineNo, lines: [] };
      }
    }
    offset += rawLine.length + 1;
  }
  finish();
  return blocks;
}

/** CommonMark removes up to the opener's indentation from each content line. */
function stripIndent(line: string, indent: number): string {
  if (indent === 0) return line;
  const width = Math.min(indent, indentWidth(line));
  let cut = 0;
  let columns = 0;
  while (cut < line.length && columns < width && line[cut] === " ") {
    cut++;
    columns++;
  }
  return line.slice(cut);
}

/**
 * A short key of a block's code, insensitive to indentation and to the trailing newline the
 * renderer adds (the preview keys the text of a rendered <code> the same way).
 */
export function blockKey(code: string): string {
  const normalized = code
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .trim();
  // FNV-1a, 32 bits, plus the length: a collision among one document's blocks is not a concern.
  let hash = 0x811c9dc5;
  for (let i = 0; i < normalized.length; i++) {
    hash ^= normalized.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${normalized.length.toString(36)}-${hash.toString(36)}`;
}
