import { describe, expect, it } from "vitest";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import { analyzeSections } from "@/lib/sections/analyzer";
import { draft, REQUEST_DEDUPLICATION } from "./fixtures";

describe("sectionsToRepair", () => {
  const damaged = draft(REQUEST_DEDUPLICATION, "s4-control-flow-contrast", "s11-missing");
  const report = analyzeSections(damaged, { final: true });

  it("picks every incomplete or missing section, in order, with its unmet items in plain words and the checker's reasons", () => {
    const sections = sectionsToRepair(report, null);
    expect(sections.map((section) => [section.number, section.missing])).toEqual([
      [4, false],
      [11, true],
    ]);
    expect(sections[0]?.items.map((item) => item.id)).toEqual(["control-flow", "contrast-incorrect"]);
    expect(sections[0]?.items[1]?.label).toBe("Does not contrast the design with the incorrect approaches from section 2");
    expect(sections[0]?.items[1]?.reason).not.toBe("");
    expect(sections[1]?.items.every((item) => item.reason === "The section is missing.")).toBe(true);
  });

  it("takes only the sections asked for, and never a satisfied one", () => {
    expect(sectionsToRepair(report, [11]).map((section) => section.number)).toEqual([11]);
    expect(sectionsToRepair(report, [3, 5])).toEqual([]);
  });

  it("leaves section 5 alone while its type check is pending (neither met nor failed)", () => {
    expect(sectionsToRepair(analyzeSections(REQUEST_DEDUPLICATION, { final: true }), null)).toEqual([]);
    expect(analyzeSections(REQUEST_DEDUPLICATION, { final: true }).sections[4]?.state).toBe("checking");
  });
});
