/**
 * Decides whether a heading-like line opens one of the 12 mandatory sections.
 *
 * Models number their sections but also number sub-items ("### 1. Mistake …" inside
 * section 9), so a number alone is trusted only on a strong heading (level ≤ 2, or
 * an explicit "Section N"). Weaker candidates (level-3 headings, whole bold lines)
 * must continue the sequence and/or carry the rubric title words.
 */
import type { LineInfo } from "./line";
import { SECTIONS } from "./rubric";
import { keywordGroupRegex } from "./text";

export interface HeadingCandidate {
  /** Section number written in the heading, if any (1..12 only). */
  number: number | null;
  /** Heading title words after the number, normalised. */
  title: string;
  /** ATX level; 7 stands for a whole bold line (weaker than any ATX heading). */
  level: number;
  /** "Section 4: …" / "Part 4 …": the author said explicitly it is a section. */
  explicit: boolean;
}

const NUMBERED = /^(section|part|chapter)?\s*(\d{1,2})(?:\s*[.):：]|\s*[—–-]{1,2}|\s|$)\s*(.*)$/;

export function headingCandidate(line: LineInfo): HeadingCandidate | null {
  let level: number;
  let body: string;
  if (line.kind === "heading" && line.headingLevel <= 3) {
    level = line.headingLevel;
    body = line.text;
  } else if (line.boldOnly && line.kind !== "list") {
    level = 7;
    body = line.text;
  } else {
    return null;
  }
  body = body.replace(/^[#\s]+/, "");
  const match = NUMBERED.exec(body);
  if (match) {
    const number = Number(match[2]);
    if (number >= 1 && number <= SECTIONS.length) {
      return { number, title: (match[3] ?? "").trim(), level, explicit: match[1] !== undefined };
    }
    return { number: null, title: body, level, explicit: false };
  }
  return { number: null, title: body, level, explicit: false };
}

const GROUPS: readonly (readonly RegExp[])[] = SECTIONS.map((section) => section.keywords.map(keywordGroupRegex));

/** How many of a section's keyword groups the title hits. */
function titleScore(sectionNumber: number, title: string): number {
  const groups = GROUPS[sectionNumber - 1];
  if (!groups || title === "") return 0;
  let score = 0;
  for (const group of groups) if (group.test(title)) score++;
  return score;
}

/** The title carries the rubric title words of that section. */
function titleMatches(sectionNumber: number, title: string): boolean {
  return titleScore(sectionNumber, title) >= 2;
}

/** Unique best-matching section for an unnumbered title, or null. */
function bestTitleMatch(title: string): number | null {
  let best: number | null = null;
  let bestScore = 0;
  let tie = false;
  for (const section of SECTIONS) {
    const score = titleScore(section.number, title);
    if (score > bestScore) {
      best = section.number;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) {
      tie = true;
    }
  }
  return bestScore >= 2 && !tie ? best : null;
}

export type HeadingDecision =
  | { kind: "section"; number: number }
  | { kind: "duplicate"; number: number }
  | { kind: "none" };

export interface HeadingContext {
  /** found[n] is true once section n has been opened (index 0 unused). */
  found: readonly boolean[];
  /** Highest section number opened so far (0 before the first). */
  highest: number;
  /** Level of the first section heading (null before the first). */
  sectionLevel: number | null;
}

export function classifyHeading(candidate: HeadingCandidate, ctx: HeadingContext): HeadingDecision {
  const { number, title, level, explicit } = candidate;
  if (number !== null) {
    const matches = titleMatches(number, title);
    const strong = explicit || (level <= 2 && (level === 2 || matches));
    if (strong) {
      return ctx.found[number] ? { kind: "duplicate", number } : { kind: "section", number };
    }
    // Weak candidate (level-3 heading or whole bold line).
    if (ctx.found[number]) return matches ? { kind: "duplicate", number } : { kind: "none" };
    if (number <= ctx.highest) return { kind: "none" };
    const sameLevelAsSections = ctx.sectionLevel === null ? number === 1 || matches : level <= ctx.sectionLevel;
    const continues = number === ctx.highest + 1;
    if (matches || (continues && sameLevelAsSections && titleScore(number, title) >= (ctx.sectionLevel === null ? 0 : 1))) {
      return { kind: "section", number };
    }
    return { kind: "none" };
  }
  // Unnumbered: only a heading at the section level (or a level-2 one before the first
  // section) with clear rubric title words opens a section; sub-headings never do.
  if (level === 7) return { kind: "none" };
  const sectionLevel = ctx.sectionLevel ?? 2;
  if (level > sectionLevel || level < 2) return { kind: "none" };
  const best = bestTitleMatch(title);
  if (best === null || ctx.found[best] || best <= ctx.highest) return { kind: "none" };
  return { kind: "section", number: best };
}

