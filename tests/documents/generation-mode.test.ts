import { describe, expect, it } from "vitest";
import { isGenerationMode } from "@/lib/documents/generation-mode";

describe("generation modes", () => {
  it("are single and parallel, exactly as spelled", () => {
    expect(isGenerationMode("single")).toBe(true);
    expect(isGenerationMode("parallel")).toBe(true);
    for (const value of ["Parallel", " single", "serial", "", null, undefined, 1, ["single"]]) expect(isGenerationMode(value)).toBe(false);
  });
});
