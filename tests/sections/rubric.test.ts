import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOCUMENT_RULES, SECTIONS } from "@/lib/sections/rubric";

const prompt = readFileSync(new URL("../../prompts/master-prompt.txt", import.meta.url), "utf8");

describe("rubric", () => {
  it("has 12 numbered sections in order", () => {
    expect(SECTIONS.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("titles appear, numbered and in order, in the master prompt", () => {
    let from = 0;
    for (const def of SECTIONS) {
      const at = prompt.indexOf(`${def.number}. ${def.title}`, from);
      expect(at, `"${def.number}. ${def.title}" after offset ${from}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  });

  it("has unique ids and a plain-words unmet label for every requirement", () => {
    expect(new Set(SECTIONS.map((s) => s.id)).size).toBe(12);
    for (const def of SECTIONS) {
      const ids = def.requirements.map((req) => req.id);
      expect(new Set(ids).size, `section ${def.number}`).toBe(ids.length);
      expect(def.requirements.some((req) => req.required)).toBe(true);
      for (const req of def.requirements) expect(req.unmetLabel, `${def.number}:${req.id}`).toMatch(/\w{3,}/);
      expect(def.keywords.length).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(DOCUMENT_RULES.map((rule) => rule.id)).size).toBe(DOCUMENT_RULES.length);
  });
});
