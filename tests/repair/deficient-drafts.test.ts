import { describe, expect, it } from "vitest";
import { DAMAGES } from "@/lib/examples/deficient-drafts";
import { analyzeSections } from "@/lib/sections/analyzer";
import { draft, library, libraryFiles } from "./fixtures";

/** Required items unmet in `markdown` that the library document meets, as "section:item". */
function lost(original: string, markdown: string): string[] {
  const before = analyzeSections(original, { final: true });
  const after = analyzeSections(markdown, { final: true });
  const out: string[] = [];
  for (const section of after.sections) {
    for (const item of section.requirements) {
      const was = before.sections[section.number - 1]?.requirements.find((entry) => entry.id === item.id);
      if (item.required && !item.met && !item.pending && was?.met) out.push(`${section.number}:${item.id}`);
    }
  }
  return out.sort();
}

describe("deficient drafts: one commonly missed item at a time", () => {
  it.each(DAMAGES.map((damage) => [damage.id, damage] as const))("%s leaves exactly its items unmet (every library document but noted exceptions)", (_id, damage) => {
    let exact = 0;
    for (const file of libraryFiles) {
      const original = library(file);
      const result = lost(original, draft(original, damage.id));
      const expected = damage.items.map((item) => `${damage.section}:${item}`).sort();
      if (JSON.stringify(result) === JSON.stringify(expected)) exact++;
      // Never less than intended, and nothing outside its section.
      expect(result).toEqual(expect.arrayContaining(expected));
      expect(result.every((entry) => entry.startsWith(`${damage.section}:`))).toBe(true);
    }
    expect(exact).toBeGreaterThanOrEqual(libraryFiles.length - 1);
  });

  it("keeps every other section and the document rules byte for byte", () => {
    const original = library("circuit-breaker.md");
    const damaged = draft(original, "s7-deadlocks-timeouts");
    const before = analyzeSections(original, { final: true });
    const after = analyzeSections(damaged, { final: true });
    expect(damaged.slice(0, before.sections[6]!.start!)).toBe(original.slice(0, before.sections[6]!.start!));
    expect(damaged.slice(after.sections[7]!.start!)).toBe(original.slice(before.sections[7]!.start!));
    expect(after.rules.filter((rule) => rule.required && !rule.met)).toEqual([]);
    expect(damaged.length).toBeLessThan(original.length);
  });
});
