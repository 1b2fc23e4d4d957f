/**
 * Completes the inline syntax of ONE line that is still being streamed, so the
 * preview does not flash raw markers (`**bo`, `` `co ``, `[text](http…`).
 * Only used while streaming; the final render sees the real text.
 */

const THEMATIC_BREAK = /^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$/;

export function completeInlineLine(line: string): string {
  if (THEMATIC_BREAK.test(line)) return line;
  const trailingSpace = /[ \t]*$/.exec(line)?.[0] ?? "";
  let text = line.slice(0, line.length - trailingSpace.length);
  text = dropDanglingDelimiterRun(text);
  text = hideIncompleteLink(text);
  const { text: withCode, codeRanges } = closeOpenCodeSpan(text);
  text = withCode + emphasisClosers(withCode, codeRanges);
  return text + trailingSpace;
}

/**
 * A delimiter run at the very end with nothing after it (`text **`) cannot be
 * closed meaningfully yet; it would render literally, so hide it for now.
 */
function dropDanglingDelimiterRun(text: string): string {
  return text.replace(/(^|[ \t])[*_~`]+$/, "$1");
}

/**
 * `[text](http://exa` / `[text` / `![alt](…` at the end: show only the text
 * until the link is complete (images are rendered inert anyway, so drop them).
 * Task-list boxes (`[ ]`, `[x]`) and index expressions (`a[0]`) are left alone.
 */
function hideIncompleteLink(text: string): string {
  const partialUrl = /(?<![\w\]\\])(!?)\[([^\][]*)\]\([^)]*$/.exec(text);
  if (partialUrl) return text.slice(0, partialUrl.index) + linkText(partialUrl);
  const closedText = /(?<![\w\]\\])(!?)\[([^\][]*)\]$/.exec(text);
  if (closedText && !/^[ xX]$/.test(closedText[2] ?? "")) {
    return text.slice(0, closedText.index) + linkText(closedText);
  }
  const openText = /(?<![\w\]\\])(!?)\[([^\][]*)$/.exec(text);
  if (openText) return text.slice(0, openText.index) + linkText(openText);
  return text;
}

function linkText(match: RegExpExecArray): string {
  const isImage = match[1] === "!";
  const label = match[2] ?? "";
  // Footnote references (`[^1`) and images have no meaningful partial text.
  if (isImage || label.startsWith("^")) return "";
  return label;
}

interface Range {
  readonly start: number;
  readonly end: number;
}

/**
 * Finds code spans (backtick runs matched by an equal-length run). If the last
 * span is unclosed, appends a matching closer; an opener with no content yet is
 * removed. Returns the ranges covered by code so emphasis ignores them.
 */
function closeOpenCodeSpan(text: string): { text: string; codeRanges: Range[] } {
  const ranges: Range[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text[i] !== "`") {
      i++;
      continue;
    }
    const runLength = backtickRunLength(text, i);
    const closer = findBacktickRun(text, i + runLength, runLength);
    if (closer !== -1) {
      ranges.push({ start: i, end: closer + runLength });
      i = closer + runLength;
      continue;
    }
    const content = text.slice(i + runLength);
    if (content.trim() === "") return { text: text.slice(0, i).replace(/[ \t]+$/, ""), codeRanges: ranges };
    // A closer right after content ending in "`" would merge into a longer run.
    const separator = content.endsWith("`") ? " " : "";
    ranges.push({ start: i, end: Infinity });
    return { text: text + separator + "`".repeat(runLength), codeRanges: ranges };
  }
  return { text, codeRanges: ranges };
}

function backtickRunLength(text: string, from: number): number {
  let end = from;
  while (text[end] === "`") end++;
  return end - from;
}

function findBacktickRun(text: string, from: number, length: number): number {
  let i = text.indexOf("`", from);
  while (i !== -1) {
    const run = backtickRunLength(text, i);
    if (run === length) return i;
    i = text.indexOf("`", i + run);
  }
  return -1;
}

interface OpenRun {
  readonly char: string;
  remaining: number;
}

/**
 * Closers for emphasis / strong / strikethrough runs left open at the end of
 * the line, using CommonMark's flanking rules (so `snake_case`, `a * b` and a
 * leading `* ` list marker are not mistaken for delimiters).
 */
function emphasisClosers(text: string, codeRanges: readonly Range[]): string {
  const stack: OpenRun[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === "\\") {
      i += 2;
      continue;
    }
    const code = codeRanges.find((r) => r.start === i);
    if (code) {
      i = code.end;
      continue;
    }
    if (ch !== "*" && ch !== "_" && ch !== "~") {
      i++;
      continue;
    }
    let end = i;
    while (text[end] === ch) end++;
    const { canOpen, canClose } = flanking(ch, text[i - 1], text[end]);
    let length = end - i;
    if (canClose) length = closeMatchingOpeners(stack, ch, length);
    if (canOpen && length > 0) stack.push({ char: ch, remaining: length });
    i = end;
  }
  return stack
    .reverse()
    .map((run) => run.char.repeat(run.remaining))
    .join("");
}

function closeMatchingOpeners(stack: OpenRun[], char: string, length: number): number {
  let left = length;
  for (let s = stack.length - 1; s >= 0 && left > 0; s--) {
    const opener = stack[s];
    if (!opener || opener.char !== char) continue;
    const used = Math.min(opener.remaining, left);
    opener.remaining -= used;
    left -= used;
    // Everything opened after the matched opener is closed implicitly (treated as literal).
    stack.length = opener.remaining > 0 ? s + 1 : s;
  }
  return left;
}

function flanking(
  char: string,
  before: string | undefined,
  after: string | undefined,
): { canOpen: boolean; canClose: boolean } {
  const beforeSpace = before === undefined || /\s/.test(before);
  const afterSpace = after === undefined || /\s/.test(after);
  const beforePunct = before !== undefined && /[\p{P}\p{S}]/u.test(before);
  const afterPunct = after !== undefined && /[\p{P}\p{S}]/u.test(after);
  const left = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
  const right = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
  if (char === "_") {
    return { canOpen: left && (!right || beforePunct), canClose: right && (!left || afterPunct) };
  }
  return { canOpen: left, canClose: right };
}
