/**
 * Section analyzer: full (`analyzeSections`) and incremental (`IncrementalSectionAnalyzer`).
 *
 * The full analysis is literally "push the whole text into a fresh incremental analyzer
 * and report", so the two agree by construction as long as folding is independent of
 * chunk boundaries (it is line based; tests check 1/7/64-char chunkings on every fixture).
 * Runs in the browser too: no Node-only imports anywhere in lib/sections.
 */
import { evaluateDocumentRules, type RuleResult } from "./document-rules";
import { buildSectionResult } from "./evaluate";
import { FENCE_LINE } from "@/lib/markdown/line-syntax";
import { closeFence, foldLine } from "./fold";
import { newAnalyzerState, provisionalCopy, type AnalyzerState } from "./state";
import type { TypecheckResult } from "@/lib/typecheck/result";
import type { ReportOptions, SectionReport, SectionResult } from "./types";

export type { RequirementResult, ReportOptions, SectionReport, SectionResult, SectionState } from "./types";
export type { RuleResult } from "./document-rules";

export class IncrementalSectionAnalyzer {
  private readonly state: AnalyzerState = newAnalyzerState();
  /** The unfinished last line (no newline yet), kept as pieces to avoid re-copying. */
  private tailParts: string[] = [];
  /** Everything pushed (a rope; the analysis itself never reads it). */
  private pushedText = "";
  private pushedLength = 0;
  private lastReport: { length: number; final: boolean; topic: string | undefined; typecheck: TypecheckResult | undefined; report: SectionReport } | null =
    null;
  // Per-section and rules caches: ended sections do not change, so a report per frame
  // only rebuilds the section being written.
  // Results are shared between reports; treat reports as immutable.
  private readonly sectionCache: (
    | { stamp: number; writing: boolean; final: boolean; end: number; typecheck: TypecheckResult | undefined; result: SectionResult }
    | undefined
  )[] = [];
  private rulesCache: { key: string; rules: RuleResult[] } | null = null;

  /** Everything pushed so far. */
  get text(): string {
    return this.pushedText;
  }

  get length(): number {
    return this.pushedLength;
  }

  push(chunk: string): void {
    if (chunk === "") return;
    this.pushedText += chunk;
    this.pushedLength += chunk.length;
    let newline = chunk.indexOf("\n");
    if (newline === -1) {
      this.tailParts.push(chunk);
      return;
    }
    // Lines are cut from the pushed chunks only; no re-scan of earlier text.
    let from = 0;
    while (newline !== -1) {
      const piece = chunk.slice(from, newline);
      const line = this.tailParts.length === 0 ? piece : this.tailParts.join("") + piece;
      this.tailParts.length = 0;
      foldLine(this.state, line, line.length + 1);
      from = newline + 1;
      newline = chunk.indexOf("\n", from);
    }
    if (from < chunk.length) this.tailParts.push(chunk.slice(from));
  }

  /** Cheap pre-check on the first characters (a bold tail needs the whole line). */
  private tailMayBeStructural(inFence: boolean): boolean {
    const first = this.tailParts[0];
    if (first === undefined) return false;
    const head = first.length >= 8 || this.tailParts.length === 1 ? first : this.tailParts.slice(0, 8).join("");
    return inFence ? FENCE_LINE.test(head) : HEADING_START.test(head) || FENCE_LINE.test(head) || BOLD_START.test(head);
  }

  private tailLine(): string {
    if (this.tailParts.length === 0) return "";
    const tail = this.tailParts.length === 1 ? (this.tailParts[0] ?? "") : this.tailParts.join("");
    this.tailParts = [tail];
    return tail;
  }

  report(options: ReportOptions = {}): SectionReport {
    const final = options.final === true;
    // Nothing pushed since the last identical request: the same report (render loops).
    // A type check of other text (an earlier version, text still streaming) does not apply.
    const typecheck = options.typecheck?.checkedLength === this.pushedLength ? options.typecheck : undefined;
    const last = this.lastReport;
    if (last && last.length === this.pushedLength && last.final === final && last.topic === options.topic && last.typecheck === typecheck) {
      return last.report;
    }
    let state = this.state;
    // While streaming, only the first characters decide whether the tail is folded.
    const tail = final || this.tailMayBeStructural(state.fence !== null) ? this.tailLine() : "";
    // The unfinished tail line is folded into a copy, so the real state only ever holds
    // finished lines. While streaming, only a tail that can change the structure (a
    // heading or a fence line) is folded: its prose is judged once the line is finished,
    // which keeps a report per frame from re-reading the same growing line again and
    // again. When the stream has ended the tail is the last line and counts in full,
    // and a block left open is closed by the end of the document.
    const foldTail = tail !== "" && (final || isStructuralTail(tail, state.fence !== null));
    if (foldTail || (final && state.fence !== null)) {
      state = provisionalCopy(state);
      if (foldTail) foldLine(state, tail, tail.length);
      if (final && state.fence !== null) closeFence(state);
    }
    const sections: SectionResult[] = [];
    let satisfied = 0;
    for (const slot of state.slots) {
      const writing = !final && slot.number === state.lastOpened;
      // Only the open section's end moves with the text; unseen sections have no range.
      const end = !slot.found ? -1 : (slot.end ?? state.offset);
      let cached = this.sectionCache[slot.number];
      if (!cached) {
        cached = { stamp: slot.stamp, writing, final, end, typecheck, result: buildSectionResult(slot, writing, final, end, typecheck) };
        this.sectionCache[slot.number] = cached;
      } else if (
        cached.stamp !== slot.stamp ||
        cached.writing !== writing ||
        cached.final !== final ||
        cached.end !== end ||
        cached.typecheck !== typecheck
      ) {
        cached.stamp = slot.stamp;
        cached.writing = writing;
        cached.final = final;
        cached.end = end;
        cached.typecheck = typecheck;
        cached.result = buildSectionResult(slot, writing, final, end, typecheck);
      }
      sections.push(cached.result);
      if (cached.result.state === "satisfied") satisfied++;
    }
    const rulesKey = `${state.docStamp}|${options.topic ?? ""}`;
    if (this.rulesCache === null || this.rulesCache.key !== rulesKey) {
      this.rulesCache = { key: rulesKey, rules: evaluateDocumentRules(state.doc, options.topic) };
    }
    const report: SectionReport = { final, satisfied, total: sections.length, sections, rules: this.rulesCache.rules };
    if (typecheck) report.typecheck = typecheck;
    this.lastReport = { length: this.pushedLength, final, topic: options.topic, typecheck, report };
    return report;
  }
}

// A tail that may be a heading (ATX, or a whole-bold line whose bold has not closed
// before other text) or a fence line; inside a fence only a closing fence matters.
const HEADING_START = /^ {0,3}#/;
const BOLD_START = /^ {0,3}(\*\*|__)/;
const BOLD_LABEL_WITH_TEXT = /^ {0,3}(\*\*|__).*?\1\s*:?\s*\S/;

function isStructuralTail(tail: string, inFence: boolean): boolean {
  if (inFence) return FENCE_LINE.test(tail);
  if (HEADING_START.test(tail) || FENCE_LINE.test(tail)) return true;
  return BOLD_START.test(tail) && !BOLD_LABEL_WITH_TEXT.test(tail);
}

/** Full analysis of a complete (final) or partial (streaming) document. */
export function analyzeSections(markdown: string, options: ReportOptions = {}): SectionReport {
  const analyzer = new IncrementalSectionAnalyzer();
  analyzer.push(markdown);
  return analyzer.report(options);
}
