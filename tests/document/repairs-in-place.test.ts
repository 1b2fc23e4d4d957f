import { describe, expect, it } from "vitest";
import { showRepairsInPlace } from "@/components/document/repairs-in-place";
import { sectionDiff } from "@/components/repair/section-diff";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import type { RepairRecord, RepairSectionState } from "@/lib/repair/record";
import { sectionText } from "@/lib/repair/section-text";
import { analyzeSections } from "@/lib/sections/analyzer";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";

const original = REQUEST_DEDUPLICATION;
const first = draft(original, "s7-deadlocks-timeouts", "s11-missing");
const report = analyzeSections(first, { final: true });
const real = (number: number) => sectionText(original, analyzeSections(original, { final: true }).sections, number)!;

function repairing(states: Record<number, RepairSectionState>): RepairRecord {
  const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 2, fromVersion: 1, firstPass: null });
  record.rounds.push({
    round: 1,
    baseVersion: 1,
    version: null,
    startedAt: "t",
    endedAt: null,
    usage: { inputTokens: 0, outputTokens: 0 },
    ms: 0,
    sections: Object.entries(states).map(([number, state]) => ({ number: Number(number), title: "", state, items: [], reason: null, gained: [], usage: { inputTokens: 0, outputTokens: 0 }, ms: 0 })),
  });
  return record;
}

describe("the page shows a section being rewritten in place", () => {
  it("puts each replacement so far where its section is (a missing one where it belongs), from its heading on", () => {
    const drafts = new Map([
      [7, { round: 1, text: `Sure:\n\n${real(7).slice(0, 500)}` }],
      [11, { round: 1, text: real(11) }],
    ]);
    const shown = showRepairsInPlace(first, report, repairing({ 7: "streaming", 11: "judging" }), drafts);
    expect(shown).not.toContain("Sure:");
    expect(shown).toContain(real(7).slice(0, 500).trimEnd());
    const at = (text: string, needle: string) => text.indexOf(needle);
    expect(at(shown, "## 7.")).toBeLessThan(at(shown, "## 8."));
    expect(at(shown, "## 10.")).toBeLessThan(at(shown, "## 11."));
    expect(at(shown, "## 11.")).toBeLessThan(at(shown, "## 12."));
    // Nothing else moves: the text before section 7 is the draft's.
    expect(shown.slice(0, report.sections[6]!.start!)).toBe(first.slice(0, report.sections[6]!.start!));
  });

  it("shows the original again once a replacement is kept out, and nothing before a heading arrives", () => {
    const drafts = new Map([[7, { round: 1, text: real(7) }]]);
    expect(showRepairsInPlace(first, report, repairing({ 7: "rejected" }), drafts)).toBe(first);
    expect(showRepairsInPlace(first, report, repairing({ 7: "streaming" }), new Map([[7, { round: 1, text: "Sure, here" }]]))).toBe(first);
    expect(showRepairsInPlace(first, report, null, drafts)).toBe(first);
  });
});

describe("sectionDiff", () => {
  it("names the sections a version changed or added, with their lines", () => {
    const diff = sectionDiff(first, original).filter((entry) => entry.change !== "unchanged");
    expect(diff.map((entry) => [entry.number, entry.change])).toEqual([
      [7, "changed"],
      [11, "added"],
    ]);
    expect(diff[0]!.added).toBeGreaterThan(0);
    expect(diff[0]!.lines.some((line) => line.kind === "added" && /Deadlocks/.test(line.text))).toBe(true);
    expect(diff[1]!.removed).toBe(0);
    expect(sectionDiff(original, original).every((entry) => entry.change === "unchanged")).toBe(true);
  });
});
