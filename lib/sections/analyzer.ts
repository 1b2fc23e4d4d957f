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
import { closeFence, foldLine } from "./fold";
import { newAnalyzerState, provisionalCopy, type AnalyzerState } from "./state";
import type { ReportOptions, SectionReport, SectionResult } from "./types";

export type { RequirementResult, ReportOptions, SectionReport, SectionResult, SectionState } from "./types";
export type { RuleResult } from "./document-rules";

export class IncrementalSectionAnalyzer {
  private readonly state: AnalyzerState = newAnalyzerState();
  /** The unfinished last line (no newline yet). */
  private tail = "";
  private fullText = "";
  // Per-section and rules caches: ended sections do not change, so a report per frame
  // only rebuilds the section being written.
  private readonly sectionCache = new Map<number, { key: string; result: SectionResult }>();
  private rulesCache: { key: string; rules: RuleResult[] } | null = null;

  /** Everything pushed so far. */
  get text(): string {
    return this.fullText;
  }

  get length(): number {
    return this.fullText.length;
  }

  push(chunk: string): void {
    if (chunk === "") return;
    this.fullText += chunk;
    let from = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      const line = this.tail + chunk.slice(from, newline);
      this.tail = "";
      foldLine(this.state, line, line.length + 1);
      from = newline + 1;
      newline = chunk.indexOf("\n", from);
    }
    if (from < chunk.length) this.tail += chunk.slice(from);
  }

  report(options: ReportOptions = {}): SectionReport {
    const final = options.final === true;
    let state = this.state;
    // The unfinished tail line (and a block still open) is folded into a copy, so the
    // real state only ever holds finished lines.
    if (this.tail !== "" || state.fence !== null) {
      state = provisionalCopy(state);
      if (this.tail !== "") foldLine(state, this.tail, this.tail.length);
      if (state.fence !== null) closeFence(state);
    }
    const sections = state.slots.map((slot) => {
      const writing = !final && slot.number === state.lastOpened;
      const end = slot.end ?? state.offset;
      const key = `${slot.stamp}|${writing}|${final}|${end}`;
      const cached = this.sectionCache.get(slot.number);
      if (cached && cached.key === key) return cached.result;
      const result = buildSectionResult(slot, writing, final, end);
      this.sectionCache.set(slot.number, { key, result });
      return result;
    });
    const rulesKey = `${state.docStamp}|${options.topic ?? ""}`;
    if (this.rulesCache === null || this.rulesCache.key !== rulesKey) {
      this.rulesCache = { key: rulesKey, rules: evaluateDocumentRules(state.doc, options.topic) };
    }
    return {
      final,
      satisfied: sections.filter((section) => section.state === "satisfied").length,
      total: sections.length,
      sections,
      rules: [...this.rulesCache.rules],
    };
  }
}

/** Full analysis of a complete (final) or partial (streaming) document. */
export function analyzeSections(markdown: string, options: ReportOptions = {}): SectionReport {
  const analyzer = new IncrementalSectionAnalyzer();
  analyzer.push(markdown);
  return analyzer.report(options);
}
