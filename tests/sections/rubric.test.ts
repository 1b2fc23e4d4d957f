import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOCUMENT_RULES, parseRubric, type Rubric, SECTIONS } from "@/lib/sections/rubric";
import rubricData from "@/lib/sections/rubric.json" with { type: "json" };

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

describe("the rubric's data (rubric.json) as the typed list", () => {
  /** The data with one change: what a careless edit of the file could do. */
  const edited = (edit: (rubric: Rubric) => void): unknown => {
    const copy = structuredClone(rubricData) as Rubric;
    edit(copy);
    return copy;
  };

  it("is the data, item for item, in its order", () => {
    expect(parseRubric(rubricData)).toEqual(rubricData);
    expect({ sections: SECTIONS, documentRules: DOCUMENT_RULES }).toEqual(rubricData);
    expect(SECTIONS.flatMap((s) => s.requirements).find((req) => req.id === "type-checks")?.external).toBe("typecheck");
  });

  it.each<[string, (rubric: Rubric) => void, RegExp]>([
    ["an item without its contract line", (r) => delete (r.sections[4]!.requirements[2] as { contract?: unknown }).contract, /sections\[4\]\.requirements\[2\]\.contract/],
    ["a misspelt field", (r) => Object.assign(r.sections[6]!.requirements[1]!, { unmetlabel: "Deadlocks 🔒 are not named" }), /sections\[6\]\.requirements\[1\]/],
    ["an empty title", (r) => (r.sections[0]!.title = ""), /sections\[0\]\.title/],
    ["an external check nobody runs", (r) => Object.assign(r.sections[4]!.requirements[0]!, { external: "lint" }), /sections\[4\]\.requirements\[0\]\.external/],
    ["a section without items", (r) => (r.sections[11]!.requirements = []), /sections\[11\]\.requirements/],
  ])("refuses %s, saying where", (_name, edit, where) => {
    expect(() => parseRubric(edited(edit))).toThrow(where);
  });

  it.each<[string, (rubric: Rubric) => void, string]>([
    ["sections out of order (they are looked up by number)", (r) => r.sections.splice(2, 2, r.sections[3]!, r.sections[2]!), 'section 4 ("correct-design") stands at position 3'],
    ["an item id used twice in a section", (r) => (r.sections[1]!.requirements[1]!.id = "labelled-approaches"), 'section 2: "labelled-approaches" is used twice'],
    ["a section id used twice", (r) => (r.sections[11]!.id = "real-problem"), 'section id "real-problem" is used twice'],
    ["a sameAs that names no item of its list", (r) => (r.sections[6]!.requirements[2]!.contract = { sameAs: "race-condition" }), 'section 7: "partial-failures" is sameAs "race-condition"'],
    ["a sameAs that names its own item", (r) => (r.documentRules[0]!.contract = { sameAs: "h1-title" }), 'document rules: "h1-title" is sameAs "h1-title"'],
    ["a document rule id used twice", (r) => (r.documentRules[1]!.id = "h1-title"), 'document rules: "h1-title" is used twice'],
  ])("refuses %s", (_name, edit, problem) => {
    expect(() => parseRubric(edited(edit))).toThrow(problem);
  });
});
