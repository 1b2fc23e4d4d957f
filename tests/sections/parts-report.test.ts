import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { PartsSectionAnalysis, type PartView } from "@/lib/sections/parts-report";
import { sectionPart } from "../support/fake-openai/parallel-scenario";

const FIXTURE = readFileSync("lib/examples/library/request-deduplication.md", "utf8");

function partsOf(split: boolean): PartView[] {
  const parts: PartView[] = [];
  for (let section = 1; section <= 12; section += 1) {
    const count = split && section === 5 ? 2 : 1;
    for (let part = 1; part <= count; part += 1) parts.push({ section, part, parts: count, state: "queued", text: "" });
  }
  return parts;
}

describe("the live report of a document written in parallel", () => {
  it("judges each section on its own text as the whole document's analysis does", () => {
    const analysis = new PartsSectionAnalysis();
    const parts = partsOf(true).map((part) => ({ ...part, state: "complete" as const, text: sectionPart(FIXTURE, part.section, part.part, part.parts) }));
    const report = analysis.report(parts, []);
    const whole = analyzeSections(FIXTURE, { final: true });
    expect(report.sections.map((section) => [section.number, section.state])).toEqual(whole.sections.map((section) => [section.number, section.state]));
    expect(report.satisfied).toBe(whole.satisfied);
  });

  it("shows every section being written at once, and a later part only once the earlier one is complete", () => {
    const analysis = new PartsSectionAnalysis();
    const parts = partsOf(true).map((part) =>
      part.section % 2 === 1 ? { ...part, state: "writing" as const, text: sectionPart(FIXTURE, part.section, part.part, part.parts).slice(0, 200) } : part,
    );
    const report = analysis.report(parts, []);
    expect(report.sections.filter((section) => section.state === "writing").map((section) => section.number)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(report.sections.filter((section) => section.state === "pending").map((section) => section.number)).toEqual([2, 4, 6, 8, 10, 12]);
    // Part 2 of section 5 was written but part 1 is not complete: section 5 is still being written from part 1.
    const part1 = sectionPart(FIXTURE, 5, 1, 2);
    parts[4] = { ...parts[4]!, state: "complete", text: part1 };
    const later = analysis.report(parts, []);
    expect(later.sections[4]?.state).toBe("writing");
    expect(later.sections[4]?.end).toBeGreaterThan(part1.length); // part 2 joined it
  });

  it("starts a section afresh when it is written again", () => {
    const analysis = new PartsSectionAnalysis();
    const parts: PartView[] = partsOf(false).map((part) => ({ ...part, state: "complete", text: sectionPart(FIXTURE, part.section, 1, 1) }));
    expect(analysis.report(parts, []).sections[6]?.state).toBe("satisfied");
    parts[6] = { ...parts[6]!, state: "writing", text: "## 7. Failure Modes & Edge Cases\n\nShort." };
    expect(analysis.report(parts, []).sections[6]?.state).toBe("writing");
  });
});
