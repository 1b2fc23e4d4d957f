/**
 * GFM tables only become tables once the delimiter row (`|---|---|`) is
 * complete and has as many cells as the header. Until then the header row
 * renders as a paragraph full of pipes; hold those lines back instead.
 */

const DELIMITER_LIKE = /^[ \t]*[|:\- \t]*$/;
const DELIMITER_CELL = /^[ \t]*:?-+:?[ \t]*$/;

/**
 * Returns how many trailing lines of `lines` (the last one may be partial) to
 * hold back: 0, 1 (a header row without delimiter row) or 2 (header row plus
 * an incomplete/mismatched delimiter row).
 */
export function tableLinesToHoldBack(lines: readonly string[]): number {
  const last = lines.length - 1;
  const lastLine = lines[last];
  if (lastLine === undefined || !lastLine.includes("|")) return 0;
  const previous = lines[last - 1];
  // A pipe row after a blank line / plain text: a header still missing its delimiter row.
  if (!containsPipe(previous)) return 1;
  if (!DELIMITER_LIKE.test(lastLine)) return 0;
  // lastLine looks like a delimiter row; its header is `previous` only if the row before is not a table row.
  if (containsPipe(lines[last - 2])) return 0;
  const header = splitCells(previous ?? "");
  const delimiter = splitCells(lastLine);
  const valid = delimiter.length === header.length && delimiter.every((cell) => DELIMITER_CELL.test(cell));
  return valid ? 0 : 2;
}

function containsPipe(line: string | undefined): boolean {
  return line !== undefined && line.includes("|");
}

/** Cells of a pipe row, ignoring escaped pipes and the optional outer pipes. */
function splitCells(row: string): string[] {
  const trimmed = row.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/);
}
