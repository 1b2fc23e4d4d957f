import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLibrary } from "@/lib/examples/library";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import { sharedTypecheckWorker, typecheckDocument } from "@/lib/typecheck/check-document";

const library = loadLibrary();

afterAll(async () => {
  await sharedTypecheckWorker().close();
});

describe("example library", () => {
  it("holds at least the master prompt's three examples plus three more", () => {
    const topics = library.map((example) => example.topic);
    expect(topics).toEqual(expect.arrayContaining(["Request Deduplication", "Circuit Breaker", "Rate Limiting"]));
    expect(topics.length).toBeGreaterThanOrEqual(6);
    expect(new Set(library.map((example) => example.slug)).size).toBe(library.length);
  });

  describe.each(library.map((example) => [example.topic, example] as const))("%s", (_topic, example) => {
    let report: SectionReport;
    beforeAll(async () => {
      // As the server stores it: with the real type check of the document's code.
      report = analyzeSections(example.markdown, { final: true, topic: example.topic, typecheck: await typecheckDocument(example.markdown) });
    });

    it("satisfies all 12 sections under the project's own analyzer", () => {
      const unmet = report.sections
        .filter((section) => section.state !== "satisfied")
        .map((section) => `${section.number} ${section.state}: ${section.requirements.filter((r) => r.required && !r.met).map((r) => r.reason).join("; ")}`);
      expect(unmet).toEqual([]);
      expect(report.satisfied).toBe(12);
    });

    it("meets every required whole-document rule", () => {
      expect(report.rules.filter((rule) => rule.required && !rule.met)).toEqual([]);
    });

    it("uses the ❌/✅ markers and draws an ASCII diagram in section 3", () => {
      expect(example.markdown).toContain("❌");
      expect(example.markdown).toContain("✅");
      const mentalModel = report.sections[2]!;
      expect(mentalModel.requirements.find((requirement) => requirement.id === "ascii-diagram")?.met).toBe(true);
    });
  });
});
