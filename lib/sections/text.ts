/** Small text helpers shared by the line parser and the section checks. */

/** Status markers the master prompt allows (the only "emoji" a document may use). */
export const WRONG_MARKERS = /[❌✗]/u;
export const CORRECT_MARKERS = /[✅✓]/u;

// Pictographs count as emoji, but arrows, geometric shapes and ©®™ are ordinary text
// glyphs that diagrams and prose use, so they are excluded.
const PICTOGRAPH = /\p{Extended_Pictographic}/gu;
const TEXT_GLYPH = /^[\u00a9\u00ae\u2122\u2190-\u21ff\u2500-\u25ff\u2b00-\u2bff\u27a1\u2700-\u2712\u2714-\u2716\u2718-\u2727]$/u;
const ALLOWED_MARKER = /^[❌✅✗✓]$/u;

/** Emoji in a line other than the allowed status markers (deduplicated, in order). */
export function disallowedEmoji(line: string): string[] {
  if (!/[\u00a9\u00ae\u203c-\u3299\u{1f000}-\u{1faff}]/u.test(line)) return []; // fast path: ASCII-ish lines
  const found: string[] = [];
  for (const match of line.matchAll(PICTOGRAPH)) {
    const ch = match[0];
    if (ALLOWED_MARKER.test(ch) || TEXT_GLYPH.test(ch)) continue;
    if (!found.includes(ch)) found.push(ch);
  }
  return found;
}

/** Remove emoji, status markers and variation selectors (for matching heading words). */
const NON_ASCII = /[^\x00-\x7f]/;
const INLINE_MARKUP = /[*_`[]/;
const MULTI_SPACE = /\s\s|\t/;

export function stripMarkers(text: string): string {
  // Fast path: most lines are plain ASCII (the Unicode-property regex is slow on long lines).
  if (!NON_ASCII.test(text)) return MULTI_SPACE.test(text) ? text.replace(/\s+/g, " ").trim() : text.trim();
  return text.replace(/[\p{Extended_Pictographic}\u2713\u2717\ufe0f\u200d]/gu, " ").replace(/\s+/g, " ").trim();
}

/** Remove inline Markdown markers so the visible text remains. */
export function stripInlineMarkdown(text: string): string {
  if (!INLINE_MARKUP.test(text)) return MULTI_SPACE.test(text) ? text.replace(/\s+/g, " ").trim() : text.trim();
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\*\*|__|`/g, "")
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=$|[\s).,:;!?])/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** Lowercased, marker-free, Markdown-free text used by the keyword matchers. */
export function normalise(text: string): string {
  return stripMarkers(stripInlineMarkdown(text)).toLowerCase();
}

/** Words = runs starting with a letter or digit (any non-ASCII char counts as a letter). */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const wordChar = (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code > 127;
    const joiner = code === 39 || code === 45 || code === 0x2019; // ' - ’ continue a word
    if (wordChar && !inWord) count++;
    inWord = wordChar || (inWord && joiner);
  }
  return count;
}

/** Compile one keyword group ("a|b c") into a word-prefix regex. */
export function keywordGroupRegex(group: string): RegExp {
  const alternatives = group.split("|").map((word) => word.trim().replace(/[.*+?^${}()[\]\\]/g, "\\$&").replace(/[\s-]+/g, "[\\s-]*"));
  // Titles are normalised to lowercase; an ASCII word boundary is enough and much faster.
  return new RegExp(`(?:^|[^a-z0-9])(?:${alternatives.join("|")})`);
}
