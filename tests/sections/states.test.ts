import { describe, expect, it } from "vitest";
import { analyzeSections, IncrementalSectionAnalyzer } from "@/lib/sections/analyzer";
import { compliant, section } from "./helpers";
import { VARIANTS } from "./variants";

const doc = compliant();
const upTo = (needle: string) => {
  const at = doc.indexOf(needle);
  if (at < 0) throw new Error(`not in fixture: ${needle}`);
  return doc.slice(0, at);
};

describe("section states", () => {
  it("empty stream: all pending; ended empty stream: all missing", () => {
    expect(analyzeSections("").sections.map((s) => s.state)).toEqual(Array(12).fill("pending"));
    expect(analyzeSections("", { final: true }).sections.map((s) => s.state)).toEqual(Array(12).fill("missing"));
    expect(analyzeSections("", { final: true }).sections[0]).toMatchObject({ start: null, end: null, heading: null });
  });

  it("while streaming: earlier sections ended, the last found one writing, later ones pending", () => {
    const report = analyzeSections(upTo("1. A request misses"));
    expect(report.final).toBe(false);
    expect(report.sections.map((s) => s.state)).toEqual(["satisfied", "satisfied", "writing", ...Array(9).fill("pending")]);
    expect(report.satisfied).toBe(2);
  });

  it("while writing, items already met show as met", () => {
    const s3 = section(analyzeSections(upTo("1. A request misses")), 3);
    expect(s3.requirements.find((r) => r.id === "ascii-diagram")?.met).toBe(true);
    expect(s3.requirements.find((r) => r.id === "ordered-steps")?.met).toBe(false);
  });

  it("stream ended mid-section: that section incomplete, the rest missing", () => {
    const report = analyzeSections(upTo("1. A request misses"), { final: true });
    expect(report.sections.map((s) => s.state)).toEqual(["satisfied", "satisfied", "incomplete", ...Array(9).fill("missing")]);
    expect(section(report, 3).end).toBe(upTo("1. A request misses").length);
  });

  it("a section ended by the next heading is judged while still streaming", () => {
    const deficient = VARIANTS.find((v) => v.section === 2 && v.requirement === "approach-code")?.make(doc) ?? "";
    const prefix = deficient.slice(0, deficient.indexOf("## 4."));
    const report = analyzeSections(prefix);
    expect(report.sections.slice(0, 3).map((s) => s.state)).toEqual(["satisfied", "incomplete", "writing"]);
  });

  it("counts a heading as soon as its (unfinished) line arrives", () => {
    const analyzer = new IncrementalSectionAnalyzer();
    analyzer.push(upTo("## 4."));
    expect(section(analyzer.report(), 4).state).toBe("pending");
    analyzer.push("## 4. Correct Des");
    expect(section(analyzer.report(), 4).state).toBe("writing");
    expect(section(analyzer.report(), 3).state).toBe("satisfied");
  });

  it("a section still inside an unclosed code block sees the code so far", () => {
    const prefix = upTo("  private start(key: string");
    const s5 = section(analyzeSections(prefix), 5);
    expect(s5.state).toBe("writing");
    expect(s5.requirements.find((r) => r.id === "async-await")?.met).toBe(true);
    expect(s5.requirements.find((r) => r.id === "typescript-code")?.met).toBe(false);
  });
});

describe("the unfinished last line", () => {
  it("while streaming, its prose is judged once the line is finished; at the end it counts", () => {
    const prefix = upTo("## 7.");
    const cut = prefix.lastIndexOf("This keeps p99") + "This keeps p99 latency".length;
    const analyzer = new IncrementalSectionAnalyzer();
    analyzer.push(doc.slice(0, cut));
    const tie = (final: boolean) => section(analyzer.report({ final }), 6).requirements.find((r) => r.id === "tail-latency")?.met;
    expect(tie(false)).toBe(false);
    expect(tie(true)).toBe(true);
    analyzer.push(" within 2x of p50.\n");
    expect(tie(false)).toBe(true);
  });

  it("an open code block counts as closed only when the stream has ended", () => {
    const cut = upTo("1. A request misses").lastIndexOf("```\n");
    const text = doc.slice(0, cut);
    const diagram = (final: boolean) => section(analyzeSections(text, { final }), 3).requirements.find((r) => r.id === "ascii-diagram")?.met;
    expect(diagram(false)).toBe(false);
    expect(diagram(true)).toBe(true);
  });
});
