import { describe, expect, it } from "vitest";
import { loadMasterPrompt, sectionPrompt, seedSectionText } from "@/lib/prompts/master-prompt";
import { sectionContract } from "@/lib/prompts/section-contract";
import { SECTIONS } from "@/lib/sections/rubric";

const seed = loadMasterPrompt("seed").template;
const contract = loadMasterPrompt("contract").template;

describe("sectionPrompt: what one section's request needs", () => {
  it.each(SECTIONS.map((def) => [def.number, def.title] as const))("section %i (%s): its seed text and its contract block", (number, title) => {
    const part = sectionPrompt(number);
    expect(part).toMatchObject({ number, title });
    expect(part.masterPrompt.startsWith(`${number}. ${title}`)).toBe(true);
    expect(seed).toContain(part.masterPrompt);
    expect(part.contract).toBe(sectionContract(number));
    expect(contract).toContain(part.contract);
    // Nothing of the next section, nothing after the structure.
    const next = SECTIONS[number];
    if (next) expect(part.masterPrompt).not.toContain(`${next.number}. ${next.title}`);
    expect(part.masterPrompt).not.toContain("STYLE CONSTRAINTS");
  });

  it("the 12 parts are the seed's whole DOCUMENT STRUCTURE, in order, nothing dropped", () => {
    const start = seed.indexOf("1. The Real Problem");
    const end = seed.indexOf("STYLE CONSTRAINTS");
    const parts = SECTIONS.map((def) => sectionPrompt(def.number).masterPrompt);
    expect(parts.join("\n\n").replace(/\s+/g, " ")).toBe(seed.slice(start, end).trim().replace(/\s+/g, " "));
    expect(sectionPrompt(9).masterPrompt).toContain("How to detect it early");
    expect(sectionPrompt(12).masterPrompt).toContain("Rollout and rollback strategy");
  });

  it("rejects a section number outside 1..12 with a clear error", () => {
    expect(() => sectionPrompt(0)).toThrow(/no section 0/);
    expect(() => sectionPrompt(13)).toThrow(RangeError);
    expect(() => seedSectionText("no sections here", 1)).toThrow(/has no "1\. The Real Problem/);
  });
});
