import { afterAll, describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { SECTIONS } from "@/lib/sections/rubric";
import { sharedTypecheckWorker, typecheckDocument } from "@/lib/typecheck/check-document";
import { analyzeFinal, cleanTypecheck, compliant, section, unmetRequired } from "./helpers";
import { VARIANTS } from "./variants";

describe("compliant fixture", () => {
  const report = analyzeFinal(compliant());

  it("satisfies all 12 sections", () => {
    expect(report.sections.map((s) => s.state)).toEqual(Array(12).fill("satisfied"));
    expect(report.satisfied).toBe(12);
    expect(report.total).toBe(12);
  });

  it.each(SECTIONS.flatMap((def) => def.requirements.map((req) => [def.number, req.id] as const)))("section %i marks %s as met", (n, id) => {
    const req = section(report, n).requirements.find((entry) => entry.id === id);
    expect(req?.met).toBe(true);
  });
});

describe("every required item can fail on its own", () => {
  it("has a deficient variant for every required rubric item", () => {
    const required = SECTIONS.flatMap((def) => def.requirements.filter((req) => req.required).map((req) => `${def.number}:${req.id}`));
    const covered = VARIANTS.map((variant) => `${variant.section}:${variant.requirement}`);
    expect(covered.sort()).toEqual(required.sort());
  });

  it.each(VARIANTS.map((variant) => [variant.section, variant.requirement, variant.description, variant] as const))(
    "section %i: %s unmet when %s",
    async (n, id, _description, variant) => {
      const doc = variant.make(compliant());
      // Items judged by the compiler fail on the compiler's real output; the rest on their text.
      const typecheck = variant.typecheck === "compiler" ? await typecheckDocument(doc) : cleanTypecheck(doc);
      const report = analyzeSections(doc, { final: true, typecheck });
      expect(section(report, n).state).toBe("incomplete");
      expect(unmetRequired(report, n)).toEqual([id]);
      const reason = section(report, n).requirements.find((req) => req.id === id)?.reason ?? "";
      expect(reason.length).toBeGreaterThan(10);
      // The other sections are untouched by the edit.
      const others = report.sections.filter((s) => s.number !== n).map((s) => s.state);
      expect(others).toEqual(Array(11).fill("satisfied"));
    },
  );
});

afterAll(async () => {
  await sharedTypecheckWorker().close();
});
