import { describe, expect, it } from "vitest";
import { stoppedRepair, repairRestartState } from "@/lib/documents/repair-restart";
import { documentText, redactParallelProgress, samePart, sectionParts, type PartProgress } from "@/lib/documents/section-parts";
import { isRunningStatus, DOCUMENT_STATUSES } from "@/lib/documents/types";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import { designDocument } from "../support/design-document";
import { partProgress } from "../support/part-progress";

/** Part `partNumber` of 2 of `section`. */
const part = (section: number, partNumber: number, state: PartProgress["state"], text: string, error: string | null = null) =>
  partProgress(section, state, text, { part: partNumber, parts: 2, error });

describe("the parts of a parallel document", () => {
  it("joins parts as blocks: a separator only where a text lacks its blank line, none for empty parts", () => {
    const parts = [part(0, 1, "complete", "# T 🚦"), part(1, 1, "complete", ""), part(1, 2, "complete", "A\n"), part(2, 1, "complete", "B\n\n"), part(3, 1, "complete", "C")];
    expect(documentText(parts, true)).toBe("# T 🚦\n\nA\n\nB\n\nC");
  });

  it("shows readers of `text` the complete parts and the first unfinished one while it runs, every part once it ended", () => {
    const parts = [part(0, 1, "complete", "# T\n\n"), part(1, 1, "writing", "Half"), part(2, 1, "complete", "Later\n\n")];
    expect(documentText(parts, false)).toBe("# T\n\nHalf");
    expect(documentText(parts, true)).toBe("# T\n\nHalf\n\nLater\n\n");
  });

  it("finds a section's parts in order, and tells parts apart by section and number", () => {
    const parts = [part(5, 1, "complete", "core"), part(4, 1, "complete", "x"), part(5, 2, "queued", "")];
    expect(sectionParts(parts, 5).map((p) => p.text)).toEqual(["core", ""]);
    expect(samePart({ section: 5, part: 1 }, { section: 5, part: 1 })).toBe(true);
    expect(samePart({ section: 5, part: 1 }, { section: 5, part: 2 })).toBe(false);
    expect(samePart({ section: 4, part: 1 }, { section: 5, part: 1 })).toBe(false);
  });

  it("redacts only the parts' errors", () => {
    const progress = { outline: null, parts: [part(1, 1, "failed", "sk-in-text", "401: sk-live"), part(2, 1, "complete", "ok")] };
    const redacted = redactParallelProgress(progress, (text) => text.replace("sk-live", "[redacted]"));
    expect(redacted.parts.map((p) => [p.text, p.error])).toEqual([
      ["sk-in-text", "401: [redacted]"],
      ["ok", null],
    ]);
    expect(redacted.parts[1]).toBe(progress.parts[1]);
  });
});

describe("statuses and stopped repairs", () => {
  it("counts generating and repairing as running, and nothing else", () => {
    expect(DOCUMENT_STATUSES.filter(isRunningStatus)).toEqual(["generating", "repairing"]);
    expect(isRunningStatus("queued")).toBe(false);
  });

  it("resumes a repair that did not finish from the current version, with the replacements written so far", () => {
    const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 2, fromVersion: 1, firstPass: null });
    const drafts = [{ round: 1, section: 4, text: "## 4. New 🔧" }] as unknown as ReturnType<typeof designDocument>["repairDrafts"];
    const document = designDocument({ repair: { ...record, status: "stopped" }, version: 3, continuations: 1, repairDrafts: drafts });
    const repair = stoppedRepair(document)!;
    expect(repair.status).toBe("stopped");
    expect(stoppedRepair({ repair: { ...record, status: "finished" } })).toBeNull();
    expect(stoppedRepair({ repair: null })).toBeNull();
    expect(repairRestartState(document, repair)).toEqual({
      repair: { markdown: document.markdown, report: null, version: 3, passVersion: 3, repair, continuations: 1, drafts },
    });
  });
});
