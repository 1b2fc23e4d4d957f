/**
 * The live section report of a document written in parallel: each section is analyzed on its own
 * text (its parts in order, a later part once the earlier ones are complete), so the sidebar shows
 * every section being written at once. Browser-safe, incremental: each call pushes only new text.
 */
import type { PartState } from "@/lib/documents/section-parts";
import { IncrementalSectionAnalyzer } from "./analyzer";
import { SECTIONS } from "./rubric";
import type { RuleResult, SectionReport, SectionResult } from "./types";

export interface PartView {
  section: number;
  part: number;
  parts: number;
  state: PartState;
  text: string;
}

const SETTLED: readonly PartState[] = ["complete", "failed", "cancelled"];

export class PartsSectionAnalysis {
  private readonly analyzers = new Map<number, IncrementalSectionAnalyzer>();
  /** Characters of each part ("section.part") pushed into its section's analyzer. */
  private readonly pushed = new Map<string, number>();

  /** The report of all 12 sections from the parts as they are now; `rules` come from the whole text. */
  report(parts: readonly PartView[], rules: RuleResult[]): SectionReport {
    const sections: SectionResult[] = [];
    let satisfied = 0;
    for (const def of SECTIONS) {
      const own = parts.filter((part) => part.section === def.number).sort((a, b) => a.part - b.part);
      const analyzer = this.feed(def.number, own);
      const settled = own.length > 0 && own.every((part) => SETTLED.includes(part.state));
      const result = analyzer.report({ final: settled }).sections[def.number - 1]!;
      sections.push(result);
      if (result.state === "satisfied") satisfied += 1;
    }
    return { final: false, satisfied, total: sections.length, sections, rules };
  }

  private feed(section: number, parts: readonly PartView[]): IncrementalSectionAnalyzer {
    let analyzer = this.analyzers.get(section);
    if (!analyzer) this.analyzers.set(section, (analyzer = new IncrementalSectionAnalyzer()));
    for (const part of parts) {
      const key = `${part.section}.${part.part}`;
      const pushed = this.pushed.get(key) ?? 0;
      if (part.text.length < pushed) {
        // The part was written again (a retry): the section is analyzed afresh.
        this.analyzers.delete(section);
        for (const other of parts) this.pushed.delete(`${other.section}.${other.part}`);
        return this.feed(section, parts);
      }
      if (part.text.length > pushed) {
        analyzer.push(part.text.slice(pushed));
        this.pushed.set(key, part.text.length);
      }
      // A later part joins the section's text once this one is complete.
      if (part.state !== "complete") break;
    }
    return analyzer;
  }
}
