/**
 * Where the reader is in the document, from the rendered headings' positions. Headings are in
 * document order, so their tops increase: binary search reads only a handful of them per call.
 */

/**
 * Headings whose top is at or above this line (px from the viewport top) have been reached. Just
 * below where a jump leaves a heading (its 1rem scroll margin), so a subsection that follows the
 * section heading closely does not take over at once.
 */
export const READING_LINE_PX = 40;

/** Index of the last heading at or above `line`, or -1 before the first. */
export function currentHeadingIndex(tops: (index: number) => number, count: number, line = READING_LINE_PX): number {
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (tops(middle) <= line) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * The section heading j (next) or k (previous) moves to. A heading counts as "here" when its top
 * is within `slack` px of the top, where the last jump left it.
 */
export function adjacentHeadingIndex(tops: number[], direction: 1 | -1, slack = 24): number | null {
  if (direction === 1) {
    const next = tops.findIndex((top) => top > slack);
    return next === -1 ? null : next;
  }
  for (let index = tops.length - 1; index >= 0; index--) if (tops[index]! < -slack / 2) return index;
  return null;
}
