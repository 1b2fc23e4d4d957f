import { afterAll, describe, expect, it } from "vitest";
import { loadLibrary } from "@/lib/examples/library";
import { analyzeSections } from "@/lib/sections/analyzer";
import { sharedTypecheckWorker, typecheckDocument } from "@/lib/typecheck/check-document";

const library = loadLibrary();

afterAll(async () => {
  await sharedTypecheckWorker().close();
});

/**
 * The example library is checked by the product's own type checker (lib/typecheck), with the
 * real declarations of the packages it imports (ioredis, pg, express…), as a generated
 * document would be.
 */
describe("example library: section 5 type-checks under the product's checker", () => {
  it("finds example documents", () => {
    expect(library.length).toBeGreaterThan(0);
  });

  for (const example of library) {
    it(example.slug, async () => {
      const result = await typecheckDocument(example.markdown);
      expect(result.status, result.reason ?? "").toBe("checked");
      expect(result.section5.blocks, "section 5 has ts blocks").toBeGreaterThan(0);
      const errors = result.section5.diagnostics.map((d) => `block ${d.block} line ${d.line}: TS${d.code} ${d.message}`);
      expect(errors, `${example.slug} section 5 does not type-check`).toEqual([]);
      expect(result.section5.errors).toBe(0);
      // Section 5 imports only packages the checker has real declarations for.
      expect(result.section5.unknownModules).toEqual([]);

      // And the stored report marks the item met.
      const report = analyzeSections(example.markdown, { final: true, topic: example.topic, typecheck: result });
      expect(report.sections[4]?.requirements.find((requirement) => requirement.id === "type-checks")?.met).toBe(true);
      expect(report.satisfied).toBe(12);
    });
  }
});
