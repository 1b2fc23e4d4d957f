/**
 * State beside the text as large as real documents have it, well over 16 KB each: a repair record
 * of a long repair (every section in two rounds, each with its rubric items and the checker's
 * reasons) and a type check with many diagnostics. Their strings hold what breaks naive size code:
 * emoji (surrogate pairs, 4 bytes in UTF-8), other scripts, quotes and backslashes that JSON
 * escapes, and a line break.
 */
import { SECTIONS } from "@/lib/sections/rubric";
import type { RepairRecord, RepairSectionRecord } from "@/lib/repair/record";
import type { TypecheckResult } from "@/lib/typecheck/result";

const STATES = ["accepted", "rejected", "failed", "rejected"] as const;
const REASONS: Record<(typeof STATES)[number] | "streaming", (items: number) => string | null> = {
  accepted: (items) => `It meets ${items} more items 🟢 and loses none.`,
  rejected: () => "It meets no more items than the original 🟡 (同じ).",
  failed: () => 'HTTP 503: the provider said "overloaded 🚧 — try again\nlater". The original is kept.',
  streaming: () => null,
};

function section(number: number, round: number, running: boolean): RepairSectionRecord {
  const def = SECTIONS[number - 1]!;
  const state = round === 1 ? STATES[number % STATES.length]! : running ? "streaming" : "accepted";
  return {
    number,
    title: `${def.title} 🦀`,
    state,
    items: def.requirements.map((item, index) => ({
      id: item.id,
      label: item.label,
      reason: `${item.unmetLabel ?? item.label} — 🔥 found ${index} of 3 in "§${number}" (限流, Кириллица, 👩‍💻) \\ C:\\path`,
    })),
    reason: REASONS[state](def.requirements.length),
    gained: state === "accepted" ? def.requirements.map((item) => item.id) : [],
    usage: { inputTokens: 1_200 + number, outputTokens: 900 + number },
    ms: 4_000 + number,
  };
}

/** A finished (or, with `status`, still running) repair of every section in two rounds, versions 2 and 3. */
export function largeRepairRecord(status: RepairRecord["status"] = "finished"): RepairRecord {
  const numbers = SECTIONS.map((def) => def.number);
  return {
    trigger: "auto",
    target: null,
    status,
    maxRounds: 2,
    fromVersion: 1,
    startedAt: "2026-11-30T10:00:00.000Z",
    endedAt: status === "running" ? null : "2026-11-30T10:03:00.000Z",
    firstPass: { usage: { inputTokens: 5_000, outputTokens: 12_000 }, ms: 90_000 },
    rounds: [
      {
        round: 1,
        baseVersion: 1,
        version: 2,
        startedAt: "2026-11-30T10:00:00.000Z",
        endedAt: "2026-11-30T10:01:30.000Z",
        sections: numbers.map((number) => section(number, 1, false)),
        usage: { inputTokens: 15_000, outputTokens: 11_000 },
        ms: 90_000,
      },
      {
        round: 2,
        baseVersion: 2,
        version: status === "running" ? null : 3,
        startedAt: "2026-11-30T10:01:30.000Z",
        endedAt: status === "running" ? null : "2026-11-30T10:03:00.000Z",
        sections: numbers.filter((number) => number % 2 === 0).map((number) => section(number, 2, status === "running")),
        usage: { inputTokens: 8_000, outputTokens: 6_000 },
        ms: 90_000,
      },
    ],
  };
}

/** A type check of `checkedLength` characters with many diagnostics, some quoting emoji from the code. */
export function largeTypecheck(checkedLength: number): TypecheckResult {
  const diagnostics = Array.from({ length: 60 }, (_, index) => ({
    line: index + 1,
    column: 3,
    documentLine: 400 + index,
    code: 2322,
    message: `Type '"🦀 ${index}"' is not assignable to type 'number'. 型が違います.`,
    severity: "error" as const,
  }));
  return {
    status: "checked",
    reason: null,
    checkedLength,
    compilerVersion: "5.9.3",
    blocks: [{ index: 0, key: "k0", section: 5, fenceLine: 399, checkedAs: "section-5", errors: 60, advisories: 0, diagnostics, assumed: ["Redis"] }],
    section5: { blocks: 1, errors: 60, advisories: 0, diagnostics: diagnostics.map((diagnostic) => ({ ...diagnostic, block: 0 })), unknownModules: [] },
    ms: 812,
  };
}
