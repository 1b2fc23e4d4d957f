import { describe, expect, it } from "vitest";
import { analyzeSections, IncrementalSectionAnalyzer } from "@/lib/sections/analyzer";
import { analyzeInChunks, compliant, fixture, fixtureNames } from "./helpers";
import { VARIANTS } from "./variants";

const documents: [string, string][] = [
  ...fixtureNames().map((name): [string, string] => [name, fixture(name)]),
  ...VARIANTS.filter((_, index) => index % 9 === 0).map((v): [string, string] => [`variant ${v.section}:${v.requirement}`, v.make(compliant())]),
  ["compliant.md with CRLF line endings", compliant().replace(/\n/g, "\r\n")],
  ["compliant.md without trailing newline", compliant().trimEnd()],
];

describe("incremental analysis equals full analysis", () => {
  it.each(documents)("%s: 1-, 7- and 64-character chunks", (_name, text) => {
    for (const final of [true, false]) {
      const full = analyzeSections(text, { final });
      for (const size of [1, 7, 64]) expect(analyzeInChunks(text, size, { final }), `chunk ${size}, final ${final}`).toEqual(full);
    }
  });

  it.each(documents)("%s: intermediate prefixes while streaming", (_name, text) => {
    const analyzer = new IncrementalSectionAnalyzer();
    const cuts = Array.from({ length: 12 }, (_, i) => Math.floor(((i + 1) * text.length) / 13));
    // Also cut right after a fence opening and in the middle of a heading line.
    const fenceAt = text.indexOf("```ts\n");
    if (fenceAt > 0) cuts.push(fenceAt + 3, fenceAt + 6);
    const headingAt = text.indexOf("## 7");
    if (headingAt > 0) cuts.push(headingAt + 1, headingAt + 5);
    cuts.sort((a, b) => a - b);
    let pushed = 0;
    for (const cut of cuts) {
      for (; pushed < cut; pushed += 7) analyzer.push(text.slice(pushed, Math.min(pushed + 7, cut)));
      pushed = cut;
      expect(analyzer.report(), `prefix ${cut}`).toEqual(analyzeSections(text.slice(0, cut)));
      expect(analyzer.length).toBe(cut);
    }
    analyzer.push(text.slice(pushed));
    expect(analyzer.report({ final: true })).toEqual(analyzeSections(text, { final: true }));
    expect(analyzer.text).toBe(text);
  });

  it("reports are JSON-serialisable", () => {
    const report = analyzeSections(fixture("model-quirks.md"), { final: true });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("reporting does not change later results (report per chunk vs once)", () => {
    const text = compliant();
    const chatty = new IncrementalSectionAnalyzer();
    for (let i = 0; i < text.length; i += 5) {
      chatty.push(text.slice(i, i + 5));
      chatty.report();
    }
    expect(chatty.report({ final: true })).toEqual(analyzeSections(text, { final: true }));
  });
});
