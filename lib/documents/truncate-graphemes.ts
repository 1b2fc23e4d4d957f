const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** The first `limit` user-perceived characters of `value`: an emoji or a letter with its marks is never cut in half. */
export function truncateGraphemes(value: string, limit: number): string {
  let result = "";
  let count = 0;
  for (const { segment } of graphemes.segment(value)) {
    if (++count > limit) break;
    result += segment;
  }
  return result;
}
