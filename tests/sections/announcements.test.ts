import { describe, expect, it } from "vitest";
import { sectionAnnouncements } from "@/components/sections/section-announcements";
import { IncrementalSectionAnalyzer, type SectionReport } from "@/lib/sections/analyzer";
import { cleanTypecheck, compliant } from "./helpers";

describe("live-region announcements", () => {
  it("announce each section once as it is completed, then the outcome — not every chunk", () => {
    const doc = compliant();
    const analyzer = new IncrementalSectionAnalyzer();
    let previous: SectionReport | null = null;
    const spoken: string[] = [];
    let updates = 0;
    for (let offset = 0; offset < doc.length; offset += 7) {
      analyzer.push(doc.slice(offset, offset + 7));
      const report = analyzer.report();
      spoken.push(...sectionAnnouncements(previous, report));
      previous = report;
      updates++;
    }
    // Section 5 waits for the server's type check, which arrives (a `checks` event) before `end`.
    expect(spoken.filter((message) => message.startsWith("Section"))).toHaveLength(10); // 12 is still being written
    const checked = analyzer.report({ typecheck: cleanTypecheck(doc) });
    spoken.push(...sectionAnnouncements(previous, checked));
    spoken.push(...sectionAnnouncements(checked, analyzer.report({ final: true, typecheck: cleanTypecheck(doc) })));
    expect(updates).toBeGreaterThan(1000);
    expect(spoken.filter((message) => message.startsWith("Section"))).toHaveLength(12);
    expect(spoken.map((message) => Number(/^Section (\d+)/.exec(message)?.[1] ?? 0)).filter(Boolean)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 5, 12]);
    expect(spoken[spoken.length - 1]).toBe("Document finished: 12 of 12 sections satisfied.");
    expect(spoken).toHaveLength(13);
  });

  it("say nothing for the first report (opening a finished document reads no list)", () => {
    const analyzer = new IncrementalSectionAnalyzer();
    analyzer.push(compliant());
    expect(sectionAnnouncements(null, analyzer.report({ final: true }))).toEqual([]);
  });
});
