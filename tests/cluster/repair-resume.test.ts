/** Which replacement text a new owner of a repair continues from: the checkpoint's or what readers received, whichever is further. */
import { describe, expect, it } from "vitest";
import { receivedDrafts, resumeDrafts } from "@/lib/cluster/repair-resume";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import type { RepairRecord } from "@/lib/repair/record";

const section = (number: number, round: number, from: number, delta: string) => ({ type: "section", number, round, from, delta });

function recordAtRound(round: number, ended: boolean): RepairRecord {
  const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 3, fromVersion: 1, firstPass: null });
  for (let index = 1; index <= round; index += 1) {
    record.rounds.push({
      round: index,
      baseVersion: index,
      version: null,
      startedAt: new Date().toISOString(),
      endedAt: index < round || ended ? new Date().toISOString() : null,
      usage: { inputTokens: 0, outputTokens: 0 },
      ms: 0,
      sections: [],
    });
  }
  return record;
}

describe("resuming a repair's replacements on another instance", () => {
  it("folds section events as a reader does: replays from 0 and overlaps add nothing twice, a new round starts over", () => {
    const drafts = receivedDrafts([
      section(7, 1, 0, "## 7. Failure 🦀"),
      { type: "repair" },
      section(7, 1, 0, "## 7. Failure 🦀"), // a replay on attach
      section(7, 1, 14, "🦀 Modes\n漢字"), // overlaps the held text by the emoji
      section(10, 1, 0, "## 10. Use"),
      section(10, 1, 11, "X"), // a gap of one character: not applied, so the text stays a prefix of the reply
      section(7, 2, 0, "## 7. Again"),
    ]);
    expect(drafts).toEqual([
      { number: 7, round: 1, text: "## 7. Failure 🦀 Modes\n漢字" },
      { number: 10, round: 1, text: "## 10. Use" },
      { number: 7, round: 2, text: "## 7. Again" },
    ]);
  });

  it("continues each replacement of the unfinished round from the longer text; what readers have wins a disagreement", () => {
    const record = recordAtRound(2, false);
    const stored = [
      { number: 4, round: 2, text: "## 4. Checkpointed further 🦀 and more" },
      { number: 7, round: 2, text: "## 7. Fail" },
      { number: 9, round: 2, text: "## 9. Checkpoint says this" },
      { number: 5, round: 1, text: "an older round" },
    ];
    const received = [
      { number: 4, round: 2, text: "## 4. Checkpointed further 🦀" },
      { number: 7, round: 2, text: "## 7. Failure Modes 漢字" },
      { number: 9, round: 2, text: "## 9. Readers saw that" },
      { number: 10, round: 2, text: "## 10. Only readers" },
      { number: 5, round: 1, text: "an older round, longer" },
    ];
    const resumed = resumeDrafts(record, stored, received);
    const byNumber = Object.fromEntries(resumed.map((draft) => [draft.number, draft]));
    expect(byNumber[4]?.text).toBe("## 4. Checkpointed further 🦀 and more");
    expect(byNumber[7]?.text).toBe("## 7. Failure Modes 漢字");
    expect(byNumber[9]?.text).toBe("## 9. Readers saw that");
    expect(byNumber[10]?.text).toBe("## 10. Only readers");
    // Only the unfinished round's drafts are resumed.
    expect(resumed.every((draft) => draft.round === 2)).toBe(true);
    expect(resumed).toHaveLength(4);
  });

  it("keeps the stored drafts when no round is unfinished", () => {
    const stored = [{ number: 7, round: 1, text: "kept" }];
    expect(resumeDrafts(recordAtRound(1, true), stored, [{ number: 7, round: 1, text: "kept and more" }])).toEqual(stored);
  });
});
