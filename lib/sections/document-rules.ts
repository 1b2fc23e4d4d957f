/**
 * Whole-document rules (H1, order, duplicates, fenced code only, markers, emoji,
 * filler, buzzwords). Folded line by line like the sections; evaluated on report.
 */
import { visibleHeading, type LineInfo } from "./line";
import { DOCUMENT_RULES, SECTIONS } from "./rubric";
import { CORRECT_MARKERS, disallowedEmoji, normalise, WRONG_MARKERS } from "./text";

export interface RuleResult {
  id: string;
  label: string;
  met: boolean;
  required: boolean;
  detail?: string;
  lines?: number[];
}

const MAX_LISTED_LINES = 50;

export interface DocState {
  /** First H1: visible text and normalised text (for topic matching). */
  h1: { text: string; normalised: string; lineNo: number } | null;
  /** Section numbers in the order their headings appeared. */
  order: number[];
  duplicates: { number: number; lineNo: number }[];
  indentedCodeLines: number[];
  wrongMarkers: number;
  correctMarkers: number;
  emoji: { lineNo: number; chars: string[] }[];
  filler: { lineNo: number; phrase: string }[];
  buzzwords: { lineNo: number; word: string }[];
}

export const newDocState = (): DocState => ({
  h1: null, order: [], duplicates: [], indentedCodeLines: [], wrongMarkers: 0, correctMarkers: 0, emoji: [], filler: [], buzzwords: [],
});

const FILLER = /in today['’]s (?:fast-paced|digital|modern)|it['’]s important to note|it is important to note|it['’]s worth noting|it is worth noting|needless to say|at the end of the day|in conclusion|let['’]s dive in|deep dive|dive deep|ever-evolving|plays a crucial role|a testament to|unlock the (?:power|potential)|game[- ]changer|navigate the complexities|in the realm of/;
const BUZZWORD = /\b(leverag(?:e|es|ed|ing)|seamless(?:ly)?|robust(?:ness)?|synerg(?:y|ies)|cutting-edge|best-in-class|world-class|next-gen(?:eration)?|blazing(?:ly)?[- ]fast|revolutionary|paradigm shift|enterprise-grade|mission-critical|bulletproof)\b/;
// A buzzword counts as explained when the same line defines or qualifies it.
const EXPLAINED = /\(|\bi\.e\.|\bmeaning\b|\bthat is\b|\bdefined as\b|\bwhich means\b|\bconcretely\b|:\s/;

/** Fold one finished non-fence line into the document rules. */
/**
 * Fold one finished non-fence line into the document rules; true when anything changed.
 * `doc()` is called only when there is something to record (copy-on-write for the tail).
 */
export function foldDocumentLine(doc: () => DocState, line: LineInfo): boolean {
  if (line.kind === "blank") return false;
  let changed = false;
  const raw = line.raw;
  if (line.kind === "heading" && line.headingLevel === 1 && doc().h1 === null) {
    doc().h1 = { text: visibleHeading(raw), normalised: line.text, lineNo: line.lineNo };
    changed = true;
  }
  if (WRONG_MARKERS.test(raw)) {
    doc().wrongMarkers++;
    changed = true;
  }
  if (CORRECT_MARKERS.test(raw)) {
    doc().correctMarkers++;
    changed = true;
  }
  const emoji = disallowedEmoji(raw);
  if (emoji.length > 0) {
    doc().emoji.push({ lineNo: line.lineNo, chars: emoji });
    changed = true;
  }
  const text = line.text;
  const filler = FILLER.exec(text);
  if (filler) {
    doc().filler.push({ lineNo: line.lineNo, phrase: filler[0] });
    changed = true;
  }
  const buzz = BUZZWORD.exec(text);
  if (buzz?.[1] && !EXPLAINED.test(text)) {
    doc().buzzwords.push({ lineNo: line.lineNo, word: buzz[1] });
    changed = true;
  }
  return changed;
}

function lines(list: readonly { lineNo: number }[] | readonly number[]): number[] {
  const out: number[] = [];
  for (const entry of list) {
    if (out.length >= MAX_LISTED_LINES) break;
    out.push(typeof entry === "number" ? entry : entry.lineNo);
  }
  return out;
}

function titleNamesTopic(h1: string, topic: string): boolean {
  const words = normalise(topic).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 2);
  return words.length === 0 || words.every((word) => h1.includes(word.replace(/s$/, "")));
}

/** A rule met when nothing was found; the finding's lines are listed. */
function noneFound<T extends { lineNo: number } | number>(id: string, found: readonly T[], describe: (found: readonly T[]) => string): RuleResult {
  return rule(id, found.length === 0, found.length === 0 ? null : describe(found), lines(found as readonly { lineNo: number }[] | readonly number[]));
}

function rule(id: string, met: boolean, detail: string | null, lineNumbers: number[] | null): RuleResult {
  const def = DOCUMENT_RULES.find((entry) => entry.id === id);
  const result: RuleResult = { id, label: def?.label ?? id, met, required: def?.required ?? true };
  if (detail !== null) result.detail = detail;
  if (lineNumbers !== null && lineNumbers.length > 0) result.lines = lineNumbers;
  return result;
}

export function evaluateDocumentRules(doc: DocState, topic: string | undefined): RuleResult[] {
  const results: RuleResult[] = [];

  if (doc.h1 === null || doc.h1.normalised.trim() === "") {
    results.push(rule("h1-title", false, "No `# Title` line naming the topic.", null));
  } else if (topic !== undefined && topic.trim() !== "" && !titleNamesTopic(doc.h1.normalised, topic)) {
    results.push(rule("h1-title", false, `The H1 "${doc.h1.text}" does not name the topic "${topic}".`, [doc.h1.lineNo]));
  } else {
    results.push(rule("h1-title", true, `H1: "${doc.h1.text}".`, [doc.h1.lineNo]));
  }

  const missing = SECTIONS.map((section) => section.number).filter((number) => !doc.order.includes(number));
  const outOfOrder = doc.order.filter((number, index) => index > 0 && number < (doc.order[index - 1] ?? 0));
  const orderProblems: string[] = [];
  if (missing.length > 0) orderProblems.push(`missing section${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`);
  if (outOfOrder.length > 0) orderProblems.push(`out of order: ${outOfOrder.join(", ")} (order found: ${doc.order.join(", ")})`);
  results.push(rule("sections-in-order", orderProblems.length === 0, orderProblems.length === 0 ? "All 12 sections, in order." : `${orderProblems.join("; ")}.`, null));

  results.push(
    noneFound("unique-section-numbers", doc.duplicates, (found) => `Repeated: ${found.map((dup) => `section ${dup.number}`).join(", ")} (judged on the first occurrence).`),
    noneFound("fenced-code-only", doc.indentedCodeLines, (found) => `${found.length} indented code block(s); use fenced blocks.`),
  );
  results.push(rule("status-markers", doc.wrongMarkers > 0, doc.wrongMarkers > 0 ? `${doc.wrongMarkers} line(s) with ❌/✗.` : "No ❌ or ✗ marker on the wrong approaches.", null));
  results.push(noneFound("no-other-emoji", doc.emoji, (found) => `Other emoji: ${[...new Set(found.flatMap((entry) => entry.chars))].join(" ")}.`));
  results.push(rule("correct-markers", doc.correctMarkers > 0, doc.correctMarkers > 0 ? `${doc.correctMarkers} line(s) with ✅/✓.` : "No ✅ or ✓ marker on the correct approach.", null));
  results.push(
    noneFound("no-filler", doc.filler, (found) => `Filler: ${[...new Set(found.map((entry) => `"${entry.phrase}"`))].join(", ")}.`),
    noneFound("no-unexplained-buzzwords", doc.buzzwords, (found) => `Unexplained: ${[...new Set(found.map((entry) => `"${entry.word}"`))].join(", ")}.`),
  );
  return results;
}
