import { describe, expect, it } from "vitest";
import { SectionTextFilter } from "@/lib/generation/parallel/section-text-filter";

const HEADING = "## 5. Full Production-Grade Implementation";

/** Feeds `text` in chunks of `size` and returns what the filter keeps, and whether it stopped. */
function run(text: string, size: number, heading: string | null = HEADING, written = "") {
  const filter = new SectionTextFilter(heading, 5, written);
  let kept = "";
  for (let index = 0; index < text.length; index += size) kept += filter.push(text.slice(index, index + size));
  kept += filter.flush();
  return { kept, overran: filter.overran };
}

const SIZES = [1, 3, 7, 64, 10_000];

describe("a section request's text is kept to its section", () => {
  it.each(SIZES)("keeps a section that starts with its own heading unchanged (chunks of %i)", (size) => {
    const section = `${HEADING}\n\nProse with \`code\` and 🦀.\n\n### Types\n\n\`\`\`ts\nexport const x = 1;\n\`\`\`\n\n`;
    expect(run(section, size)).toEqual({ kept: section, overran: false });
  });

  it.each(SIZES)("keeps the model's own heading of the section at level 2, and replaces any other first heading (chunks of %i)", (size) => {
    expect(run("\n# 5) Implementation\n\nBody.\n", size).kept).toBe(`## 5) Implementation\n\nBody.\n`);
    expect(run("# Circuit Breaker: the design\n\nBody.\n", size).kept).toBe(`${HEADING}\n\nBody.\n`);
  });

  it.each(SIZES)("adds the heading when the model starts with prose (chunks of %i)", (size) => {
    expect(run("  Body first.\nMore.\n", size).kept).toBe(`${HEADING}\n\nBody first.\nMore.\n`);
  });

  it.each(SIZES)("ends the section at the next section's heading, and says so (chunks of %i)", (size) => {
    const text = `${HEADING}\n\nBody.\n\n## 6. Correct Usage Patterns\n\nNot ours.\n`;
    expect(run(text, size)).toEqual({ kept: `${HEADING}\n\nBody.\n\n`, overran: true });
  });

  it.each(SIZES)("ends it at a closing summary or a document title too (chunks of %i)", (size) => {
    expect(run(`${HEADING}\n\nBody.\n## Summary\nx\n`, size)).toEqual({ kept: `${HEADING}\n\nBody.\n`, overran: true });
    expect(run(`${HEADING}\n\nBody.\n# Circuit Breaker\n`, size).overran).toBe(true);
  });

  it.each(SIZES)("drops a repeat of its own heading right after it (chunks of %i)", (size) => {
    expect(run(`# Circuit Breaker\n\n## 5. Full Production-Grade Implementation\n\nBody.\n`, size)).toEqual({ kept: `${HEADING}\n\nBody.\n`, overran: false });
  });

  it.each(SIZES)("never takes a heading-like line inside code, or `##` inside a line, for a heading (chunks of %i)", (size) => {
    const section = `${HEADING}\n\nUse the ## operator.\n\n\`\`\`text\n## 6. not a heading\n# nor this\n\`\`\`\n\n~~~md\n## 7. still code\n~~~\n\n### Sub-heading\n`;
    expect(run(section, size)).toEqual({ kept: section, overran: false });
  });

  it("later parts get no heading, and stop at a section heading", () => {
    expect(run("### HTTP client\n\nText.\n## 6. Next\n", 5, null)).toEqual({ kept: "### HTTP client\n\nText.\n", overran: true });
  });

  it("a continued part (text already written) keeps its fence state and adds no heading", () => {
    const written = `${HEADING}\n\n\`\`\`ts\nconst a = 1;\n`;
    expect(run("## not a heading: still in the fence\n```\n\nAfter.\n", 4, HEADING, written)).toEqual({
      kept: "## not a heading: still in the fence\n```\n\nAfter.\n",
      overran: false,
    });
  });

  it("streams prose without holding it back", () => {
    const filter = new SectionTextFilter(HEADING, 5);
    expect(filter.push("## Impl\n\nThe breaker opens")).toBe(`${HEADING}\n\nThe breaker opens`);
    expect(filter.push(" after 5 failures.")).toBe(" after 5 failures.");
    expect(filter.push("\n##")).toBe("\n");
    expect(filter.push("# Rolling window\n")).toBe("### Rolling window\n");
  });
});

describe("the section text filter's edges", () => {
  it.each(SIZES)("reads the model's own heading however it is spaced, numbered or closed (chunks of %i)", (size) => {
    expect(run("### 5. Impl\n\nBody.\n", size).kept).toBe("## 5. Impl\n\nBody.\n");
    expect(run("##   Section   5: Impl ##\nBody.\n", size).kept).toBe("## Section   5: Impl\nBody.\n");
    const twelve = new SectionTextFilter("## 12. Production Readiness Checklist", 12);
    expect(twelve.push("# 12) My checklist\nBody.\n") + twelve.flush()).toBe("## 12) My checklist\nBody.\n");
  });

  it.each(SIZES)("keeps a heading that is the whole answer, without adding a line end (chunks of %i)", (size) => {
    expect(run("# 5. Impl", size)).toEqual({ kept: "## 5. Impl", overran: false });
    expect(run("   \n  ", size).kept).toBe(`${HEADING}\n\n`);
  });

  it("decides the first line after 400 characters without a line end, and judges a long #-line then too", () => {
    const filter = new SectionTextFilter(HEADING, 5);
    const prose = "p".repeat(399);
    expect(filter.push(prose)).toBe("");
    expect(filter.push("p")).toBe(`${HEADING}\n\n${prose}p`);
    expect(filter.push("q")).toBe("q");
    const hashes = new SectionTextFilter(null, 5);
    expect(hashes.push("#".repeat(7) + "x".repeat(392))).toBe("");
    expect(hashes.push("x")).toBe(`${"#".repeat(7)}${"x".repeat(393)}`);
  });

  it.each(SIZES)("stops at its own heading once something came after the first, and a fence ends the heading's blank lines (chunks of %i)", (size) => {
    expect(run(`${HEADING}\n\nBody.\n\n## 5. Again\n\nMore`, size)).toEqual({ kept: `${HEADING}\n\nBody.\n\n`, overran: true });
    const fenced = `${HEADING}\n\n\`\`\`ts\nx\n\`\`\`\n\n`;
    expect(run(`${fenced}## 5. Again\n`, size)).toEqual({ kept: fenced, overran: true });
  });

  it.each(SIZES)("drops the blank lines it held when the section ends right after its heading (chunks of %i)", (size) => {
    expect(run(`${HEADING}\n\n## 6. Next\n\nMore`, size)).toEqual({ kept: `${HEADING}\n`, overran: true });
    expect(run(`${HEADING}\n\n\n`, size).kept).toBe(`${HEADING}\n\n\n`);
  });
});

describe("a section request's text: edges", () => {
  it.each(SIZES)("takes a numbered first heading of another section, or a number later in the line, for a title (chunks of %i)", (size) => {
    expect(run("## 6. Observability\n\nBody.\n", size).kept).toBe(`${HEADING}\n\nBody.\n`);
    expect(run("## Notes # 5 ideas\n\nBody.\n", size).kept).toBe(`${HEADING}\n\nBody.\n`);
  });

  it("judges a line that starts with spaces only once it is whole: a heading after them is still an overrun", () => {
    const filter = new SectionTextFilter(HEADING, 5);
    let kept = filter.push(`${HEADING}\n\nBody.\n`);
    kept += filter.push("   ");
    kept += filter.push("## 6. Next section\nmore\n");
    expect(kept).toBe(`${HEADING}\n\nBody.\n`);
    expect(filter.overran).toBe(true);
  });

  it.each([
    ["##  5. Again", 5],
    ["## Section 5: again", 5],
    ["## section\t5", 5],
    ["## 12. Production Readiness Checklist", 12],
  ])("drops a repeat of its own heading however it is written: %s", (repeat, section) => {
    const heading = `## ${section}. Heading`;
    const filter = new SectionTextFilter(heading, section);
    const kept = filter.push(`${heading}\n\n${repeat}\n\nBody.\n`) + filter.flush();
    expect(kept).toBe(`${heading}\n\nBody.\n`);
    expect(filter.overran).toBe(false);
  });

  it("knows, when it continues, whether the text written so far ends inside code or after it", () => {
    const closed = run("## 6. Next\n", 3, HEADING, `${HEADING}\n\n\`\`\`ts\nconst a = 1;\n\`\`\`\n\n`);
    expect(closed).toEqual({ kept: "", overran: true });
    const open = run("## 6. not a heading in code\n```\n", 3, HEADING, `${HEADING}\n\n\`\`\`ts\nconst a = 1;\n`);
    expect(open).toEqual({ kept: "## 6. not a heading in code\n```\n", overran: false });
  });

  it("keeps the lines of code and its fences whole, right after the heading too", () => {
    const section = `${HEADING}\n\`\`\`ts\n## not a heading\n\`\`\`\n## 5. a heading again, after code\n`;
    const { kept, overran } = run(section, 5);
    expect(kept).toBe(`${HEADING}\n\`\`\`ts\n## not a heading\n\`\`\`\n`);
    expect(overran).toBe(true);
  });
});
