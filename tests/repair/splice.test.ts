import { describe, expect, it } from "vitest";
import { DAMAGES } from "@/lib/examples/deficient-drafts";
import { extractSectionReply } from "@/lib/repair/extract-reply";
import { sectionText } from "@/lib/repair/section-text";
import { spliceSection } from "@/lib/repair/splice";
import { analyzeSections } from "@/lib/sections/analyzer";
import { draft, library, libraryFiles } from "./fixtures";

const sections = (markdown: string) => analyzeSections(markdown, { final: true }).sections;

describe("spliceSection", () => {
  it("puts each real section back into every deficient draft, restoring the document byte for byte (missing ones at their place)", () => {
    for (const file of libraryFiles) {
      const original = library(file);
      for (const damage of DAMAGES) {
        const damaged = draft(original, damage.id);
        const reply = sectionText(original, sections(original), damage.section)!;
        const extracted = extractSectionReply(reply, damage.section, { headingMarks: "##" });
        expect(extracted.ok).toBe(true);
        if (!extracted.ok) continue;
        expect(spliceSection(damaged, sections(damaged), damage.section, extracted.text), `${file} ${damage.id}`).toBe(original);
      }
    }
  });

  it("replaces the last section up to the end, and appends a missing last section", () => {
    const doc = "# T\n\n## 1. One\n\nold one\n\n## 12. Production Readiness Checklist\n\nold twelve\n";
    expect(spliceSection(doc, sections(doc), 12, "## 12. Production Readiness Checklist\n\nnew 🦀\n")).toBe(
      "# T\n\n## 1. One\n\nold one\n\n## 12. Production Readiness Checklist\n\nnew 🦀\n",
    );
    const withoutTwelve = "# T\n\n## 1. One\n\nold one\n";
    expect(spliceSection(withoutTwelve, sections(withoutTwelve), 12, "## 12. Production Readiness Checklist\n\nnew\n")).toBe(
      "# T\n\n## 1. One\n\nold one\n\n## 12. Production Readiness Checklist\n\nnew\n",
    );
  });

  it("inserts a missing section before the first section with a higher number, leaving the text before it alone", () => {
    const doc = "# T\n\nIntro.\n\n## 1. One\n\none\n\n## 3. Correct Mental Model\n\nthree\n";
    expect(spliceSection(doc, sections(doc), 2, "## 2. The Naive / Incorrect Approaches\n\ntwo")).toBe(
      "# T\n\nIntro.\n\n## 1. One\n\none\n\n## 2. The Naive / Incorrect Approaches\n\ntwo\n\n## 3. Correct Mental Model\n\nthree\n",
    );
  });
});
