import { describe, expect, it } from "vitest";
import type { DocumentError } from "@/lib/documents/document-error";
import { continueParts, retrySectionParts } from "@/lib/documents/parallel-restart";
import { partLabel } from "@/lib/documents/section-parts";
import { designDocument } from "../support/design-document";
import { partProgress } from "../support/part-progress";
import { thrownBy } from "../support/thrown";

const part = partProgress;

const outline = { title: "限流", summary: "s", incorrectApproaches: [], keyTerms: [], sections: [] };
const parts = [
  part(0, "complete", "# 限流\n\nSummary 🚦\n\n"),
  part(1, "complete", "## 1. One\n\n"),
  part(2, "failed", "## 2. Tw", { error: "503", continuations: 1 }),
  part(3, "cancelled", "## 3."),
];
const stopped = designDocument({ mode: "parallel", status: "cancelled", parallel: { outline, parts } });

describe("restarting a parallel document", () => {
  it("Continue queues every unfinished part with its text, and readers start from the complete parts", () => {
    const restart = continueParts(stopped);
    expect(restart.parallel!.outline).toBe(outline);
    expect(restart.parallel!.parts.map((p) => [p.section, p.state, p.text, p.error])).toEqual([
      [0, "complete", "# 限流\n\nSummary 🚦\n\n", null],
      [1, "complete", "## 1. One\n\n", null],
      [2, "queued", "## 2. Tw", null],
      [3, "queued", "## 3.", null],
    ]);
    expect(restart.markdown).toBe("# 限流\n\nSummary 🚦\n\n## 1. One\n\n## 2. Tw");
    expect(continueParts({ ...stopped, parallel: null })).toEqual({ parallel: null, markdown: "" });
  });

  it("a section's retry empties only that section's parts", () => {
    const restart = retrySectionParts(stopped, 2);
    expect(restart.parallel!.parts[2]).toEqual({ ...parts[2], state: "queued", text: "", error: null, continuations: 0 });
    expect(restart.parallel!.parts.filter((p) => p.section !== 2)).toEqual(parts.filter((p) => p.section !== 2));
  });

  it("refuses a single-mode document, and one whose outline or head never finished", () => {
    for (const document of [{ ...stopped, mode: "single" as const }, { ...stopped, parallel: null }]) {
      const error = thrownBy<DocumentError>(() => retrySectionParts(document, 2));
      expect(error.code).toBe("not_parallel");
      expect(error.message).toBe("Only a document written in parallel mode has sections that can be retried alone; use Retry to write this one again.");
    }
    const headUnfinished = { ...stopped, parallel: { outline, parts: [{ ...parts[0]!, state: "failed" as const }, ...parts.slice(1)] } };
    const noOutline = { ...stopped, parallel: { outline: null, parts } };
    const noHead = { ...stopped, parallel: { outline, parts: parts.slice(1) } };
    for (const document of [headUnfinished, noOutline, noHead]) {
      expect(thrownBy<DocumentError>(() => retrySectionParts(document, 2))).toMatchObject({
        code: "not_resumable",
        message: "This document's outline was never finished, so its sections were not written: use Continue or Retry.",
      });
    }
  });

  it("names parts for people: the head, a section, and a part of a section written in several", () => {
    expect(partLabel({ section: 0, part: 1 })).toBe("the title and summary");
    expect(partLabel({ section: 5, part: 2 }, 2)).toBe("section 5 (part 2 of 2)");
    expect(partLabel({ section: 5, part: 1 })).toBe("section 5");
  });
});
