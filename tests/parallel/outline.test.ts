import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { completedStringField, normalizeTitle, outlineOutput, parseOutline } from "@/lib/generation/parallel/outline";
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

describe("the outline's limits", () => {
  const parse = (outline: Record<string, unknown>, split = true) => parseOutline(JSON.stringify(outline), split);
  const reason = (outline: Record<string, unknown>, split = true) => {
    const verdict = parse(outline, split);
    return verdict.ok ? "accepted" : verdict.reason;
  };
  const approaches = valid.incorrectApproaches as { name: string; summary: string }[];
  const implementation = valid.implementation as { core: string; integration: string; declarations: string[] };

  it("takes a title without its Markdown heading marks, on one line", () => {
    const verdict = parse({ ...valid, title: " ### Circuit \n  Breaker " });
    expect(verdict.ok && verdict.outline.title).toBe("Circuit Breaker");
  });

  it.each([
    ["title is longer than 200 characters", { title: "x".repeat(201) }],
    ["summary is longer than 600 characters", { summary: "x".repeat(601) }],
    ["incorrectApproaches has more than 4 incorrect approaches", { incorrectApproaches: [...approaches, ...approaches, ...approaches].slice(0, 5) }],
    ["incorrectApproaches.0.name is empty", { incorrectApproaches: [{ ...approaches[0], name: " " }, approaches[1]] }],
    ["incorrectApproaches.1.summary is longer than 400 characters", { incorrectApproaches: [approaches[0], { ...approaches[1], summary: "x".repeat(401) }] }],
    ["keyTerms lists no key term", { keyTerms: [] }],
    ["keyTerms.0 is longer than 200 characters", { keyTerms: ["x".repeat(201)] }],
    ["sections.3.covers is empty", { sections: (valid.sections as object[]).map((section, index) => (index === 3 ? { ...section, covers: "" } : section)) }],
    ["sections must list the 12 sections, numbered 1 to 12 in order", { sections: (valid.sections as object[]).map((section, index) => (index === 0 ? { ...section, number: 2 } : section)) }],
    ["implementation.declarations lists no declaration", { implementation: { ...implementation, declarations: [] } }],
    ["implementation.core is longer than 600 characters", { implementation: { ...implementation, core: "x".repeat(601) } }],
  ])("refuses an outline where %s", (expected, change) => {
    expect(reason({ ...valid, ...change })).toBe(expected);
  });

  it("accepts up to the limits, and no implementation plan when section 5 is not split", () => {
    expect(reason({ ...valid, title: "x".repeat(200), summary: "x".repeat(600), keyTerms: Array.from({ length: 16 }, (_, index) => `term ${index}`) })).toBe("accepted");
    expect(reason({ ...valid, incorrectApproaches: [...approaches, ...approaches].slice(0, 4) })).toBe("accepted");
    expect(reason({ ...valid, implementation: undefined }, false)).toBe("accepted");
    expect(reason({ ...valid, keyTerms: Array.from({ length: 17 }, (_, index) => `term ${index}`) })).toMatch(/^keyTerms /);
  });

  it("reads a fence without a language tag, and says what is wrong with a value that is not an object", () => {
    const json = JSON.stringify(valid);
    expect(parseOutline(`Plan:\n\n\`\`\`\n${json}\n\`\`\``, true).ok).toBe(true);
    expect(parseOutline(`\`\`\`json   \n${json}\n   \`\`\` and more {`, true).ok).toBe(true);
    expect(reason(["not", "an", "object"] as never)).toBe("the outline Invalid input: expected object, received array");
    expect(parseOutline("{ not json }", true)).toEqual({ ok: false, reason: "the answer is not a JSON object" });
  });

  it("reads the fenced object when the prose after the fence has braces too, tagged or not", () => {
    const json = JSON.stringify(valid);
    for (const fence of ["```json\n", "```\n", "```json   \n"]) {
      const answer = `Plan {draft}:\n${fence}${json}\n\`\`\`\nNote: {retries} is a placeholder.`;
      const verdict = parseOutline(answer, true);
      expect(verdict.ok && verdict.outline.title).toBe("Circuit Breaker");
    }
  });

  it("takes only leading heading marks off a title, spaced or not", () => {
    const title = (value: string) => {
      const verdict = parse({ ...valid, title: value });
      return verdict.ok ? verdict.outline.title : verdict.reason;
    };
    expect(title("###Circuit Breaker")).toBe("Circuit Breaker");
    expect(title("C# Patterns for Retries")).toBe("C# Patterns for Retries");
    expect(normalizeTitle("  ## F#  and \t C#  ")).toBe("F# and C#");
  });

  it("names the outline format it asks for", async () => {
    const format = (await outlineOutput(true).responseFormat) as { name?: string; description?: string };
    expect(format.name).toBe("document_outline");
    expect(format.description).toBe("The plan of a design document in 12 sections.");
  });

  it("reads only top-level fields, before the first nested value, and no field with a bad escape", () => {
    const approachesFirst = '{"title": "T", "incorrectApproaches": [{"name": "n", "summary": "an approach"}], "summary": "the document"}';
    expect(completedStringField(approachesFirst, "title")).toBe("T");
    expect(completedStringField(approachesFirst, "summary")).toBeNull();
    expect(completedStringField('Sure: {"title": "Rate [Limiting]", "summary": "S"', "title")).toBe("Rate [Limiting]");
    expect(completedStringField('{"title": "bad \\x escape", "summary"', "title")).toBeNull();
  });

  it("asks the provider for every field, with plain types, and for section 5's plan only when it is split", async () => {
    const schemaOf = async (split: boolean) => {
      const format = await outlineOutput(split).responseFormat;
      return (format as { schema: { properties: Record<string, { items?: { properties?: Record<string, unknown> }; properties?: Record<string, unknown> }>; required: string[] } }).schema;
    };
    const split = await schemaOf(true);
    expect(split.required).toEqual(["title", "summary", "incorrectApproaches", "keyTerms", "sections", "implementation"]);
    expect(Object.keys(split.properties.incorrectApproaches?.items?.properties ?? {})).toEqual(["name", "summary"]);
    expect(Object.keys(split.properties.sections?.items?.properties ?? {})).toEqual(["number", "covers"]);
    expect(Object.keys(split.properties.implementation?.properties ?? {})).toEqual(["core", "integration", "declarations"]);
    expect((await schemaOf(false)).required).toEqual(["title", "summary", "incorrectApproaches", "keyTerms", "sections"]);
  });

  it("reads a field that ends the text so far, and not one whose closing quote is escaped", () => {
    expect(completedStringField('{"title": "Circuit Breaker"', "title")).toBe("Circuit Breaker");
    expect(completedStringField(String.raw`{"title":"a\\"`, "title")).toBe("a\\");
    expect(completedStringField(String.raw`{"title": "a\"`, "title")).toBeNull();
    expect(completedStringField('{"title": 12}', "title")).toBeNull();
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
