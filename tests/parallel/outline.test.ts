import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { completedStringField, parseOutline } from "@/lib/generation/parallel/outline";
import { outlinePrompt, sectionRequestPrompt, section2ForContrast } from "@/lib/prompts/parallel-prompts";
import { outlineOf } from "../support/fake-openai/parallel-scenario";

const FIXTURE = readFileSync("lib/examples/library/circuit-breaker.md", "utf8");
const valid = outlineOf(FIXTURE, true);

describe("the outline", () => {
  it("accepts a valid outline as JSON, in a code fence, or with prose around it", () => {
    const json = JSON.stringify(valid);
    for (const answer of [json, `Here is the plan:\n\n\`\`\`json\n${json}\n\`\`\`\n`, `Sure. ${json} Hope this helps.`]) {
      const verdict = parseOutline(answer, true);
      expect(verdict.ok).toBe(true);
      if (verdict.ok) expect(verdict.outline.title).toBe("Circuit Breaker");
    }
  });

  it.each([
    ["prose", "Here is a plan for the document.", /not a JSON object/],
    ["11 sections", { ...valid, sections: (valid.sections as unknown[]).slice(0, 11) }, /sections must list the 12 sections/],
    ["sections out of order", { ...valid, sections: [...(valid.sections as { number: number }[])].reverse() }, /numbered 1 to 12 in order/],
    ["one incorrect approach", { ...valid, incorrectApproaches: (valid.incorrectApproaches as unknown[]).slice(0, 1) }, /at least 2 incorrect approaches/],
    ["an empty title", { ...valid, title: "  " }, /title is empty/],
    ["no implementation plan when section 5 is split", { ...valid, implementation: undefined }, /implementation/],
  ])("refuses %s, naming the problem", (_name, answer, reason) => {
    const verdict = parseOutline(typeof answer === "string" ? answer : JSON.stringify(answer), true);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it("reads a string field only once it has streamed in whole, escapes and emoji included", () => {
    const answer = '{"title": "Rate \\"Limiting\\" 🦀", "summary": "Cuts';
    expect(completedStringField(answer, "title")).toBe('Rate "Limiting" 🦀');
    expect(completedStringField(answer, "summary")).toBeNull();
    expect(completedStringField('{"title": "Rate \\', "title")).toBeNull();
  });
});

describe("parallel prompts", () => {
  it("asks for the outline with the 12 section titles, and for section 5's plan only when it is split", () => {
    const split = outlinePrompt("限流 Rate Limiting", { splitImplementation: true });
    expect(split).toContain("TOPIC: 限流 Rate Limiting");
    expect(split).toContain("12. Production Readiness Checklist");
    expect(split).toContain('"implementation"');
    expect(outlinePrompt("x", { splitImplementation: false })).not.toContain('"implementation"');
  });

  it("gives sections 4, 9 and 10 section 2's prose, without its code", () => {
    const section2 = FIXTURE.slice(FIXTURE.indexOf("## 2. "), FIXTURE.indexOf("## 3. "));
    const stripped = section2ForContrast(section2);
    expect(stripped).toContain("Incorrect Approach #1");
    expect(stripped).not.toContain("export async function getRecommendations");
    const outline = parseOutline(JSON.stringify(valid), true);
    if (!outline.ok) throw new Error(outline.reason);
    const request = { topic: "Circuit Breaker", outline: outline.outline, part: 1, parts: 1, section2 };
    expect(sectionRequestPrompt({ ...request, number: 4 })).toContain(stripped);
    expect(sectionRequestPrompt({ ...request, number: 6 })).not.toContain("SECTION 2 AS WRITTEN");
  });
});
