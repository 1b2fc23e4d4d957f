import "server-only";
/**
 * One repair round: the chosen sections are rewritten, REPAIR_CONCURRENCY at a time, each judged
 * against the round's base document as soon as it is written; then the accepted replacements are
 * put together, checked again together (and type-checked), and become the document's next version.
 */
import { analyzeSections } from "@/lib/sections/analyzer";
import type { SectionReport } from "@/lib/sections/types";
import type { SectionToRepair } from "@/lib/repair/choose-sections";
import { gainsNothing, judgeReplacement } from "@/lib/repair/judge";
import { addUsage, NO_USAGE, type RepairDraft, type RepairRecord, type RepairRoundRecord, type RepairSectionRecord } from "@/lib/repair/record";
import { spliceSection } from "@/lib/repair/splice";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { runPool } from "./pool";
import { judgeReply, repairSection, TYPE_CHECKED_SECTION } from "./repair-section";
import type { RepairContext, RoundBase } from "./types";

export function roundBase(markdown: string, version: number, typecheck: TypecheckResult | null): RoundBase {
  return {
    markdown,
    version,
    typecheck,
    checkedReport: analyzeSections(markdown, { final: true, typecheck: typecheck ?? undefined }),
    plainReport: analyzeSections(markdown, { final: true }),
  };
}

export interface RoundOutcome {
  /** The new version, when any replacement was accepted. */
  next: { markdown: string; version: number; typecheck: TypecheckResult; report: SectionReport } | null;
  stopped: boolean;
}

export function newRoundRecord(round: number, base: RoundBase, sections: readonly SectionToRepair[]): RepairRoundRecord {
  return {
    round,
    baseVersion: base.version,
    version: null,
    startedAt: new Date().toISOString(),
    endedAt: null,
    usage: NO_USAGE,
    ms: 0,
    sections: sections.map((section) => ({ number: section.number, title: section.title, state: "queued", items: section.items, reason: null, gained: [], usage: NO_USAGE, ms: 0 })),
  };
}

/** Runs `round` (the last of `record.rounds`); `drafts` are replacements written before a restart. */
export async function runRepairRound(
  context: RepairContext,
  record: RepairRecord,
  base: RoundBase,
  sections: readonly SectionToRepair[],
  drafts: readonly RepairDraft[],
): Promise<RoundOutcome> {
  const { job } = context;
  const round = record.rounds[record.rounds.length - 1];
  // Stryker disable next-line ConditionalExpression,StringLiteral: a guard for the type; the stage always pushes the round first.
  if (!round) throw new Error("runRepairRound needs a round in the record");
  const publish = () => job.updateRepair(structuredClone(record));
  const entry = (number: number) => round.sections.find((section) => section.number === number) as RepairSectionRecord;
  const accepted = new Map<number, string>();
  const started = Date.now();

  const settle = (number: number, patch: Partial<RepairSectionRecord>) => {
    Object.assign(entry(number), patch);
    round.usage = round.sections.reduce((sum, section) => addUsage(sum, section.usage), NO_USAGE);
    publish();
  };

  await runPool(sections, context.concurrency, job.controller.signal, async (section) => {
    const current = entry(section.number);
    // Judged before a restart (an accepted one comes back `judging`: the stage has it judged again).
    if (current.state === "rejected" || current.state === "failed") return;
    const sectionStarted = Date.now();
    const draft = drafts.find((candidate) => candidate.number === section.number && candidate.round === round.round);
    if (current.state === "judging" && draft) {
      // Written in full before the restart: judged again, not requested again.
      const judged = await judgeReply(context, base, section.number, draft.text);
      if (judged.judgement.accepted) accepted.set(section.number, judged.text);
      settle(section.number, { state: judged.judgement.accepted ? "accepted" : "rejected", reason: judged.judgement.reason, gained: judged.judgement.gained });
      return;
    }
    settle(section.number, { state: "streaming", reason: null });
    const result = await repairSection(context, base, section, round.round, draft?.text ?? "");
    const usage = addUsage(current.usage, result.usage);
    const ms = current.ms + (Date.now() - sectionStarted);
    if (result.kind === "stopped") return settle(section.number, { state: "stopped", reason: "Stopped before the replacement was finished.", usage, ms });
    if (result.kind === "failed") return settle(section.number, { state: "failed", reason: `${result.reason.replace(/\.?$/, ".")} The original is kept.`, usage, ms });
    if (result.judgement.accepted) accepted.set(section.number, result.text);
    settle(section.number, { state: result.judgement.accepted ? "accepted" : "rejected", reason: result.judgement.reason, gained: result.judgement.gained, usage, ms });
  });

  const stopped = job.controller.signal.aborted;
  for (const section of round.sections) {
    // Every section the pool took has settled (stopped, failed or judged): what is left was never taken.
    if (stopped && (section.state === "queued" || section.state === "judging")) {
      section.state = "stopped";
      section.reason = "Stopped before the replacement was finished.";
    }
  }
  round.ms += Date.now() - started;
  if (stopped) {
    // The accepted replacements of an unfinished round are not applied: Continue judges them again.
    publish();
    return { next: null, stopped: true };
  }
  const next = await composeRound(context, base, round, accepted);
  round.endedAt = new Date().toISOString();
  round.version = next?.version ?? null;
  job.clearDrafts(round.round);
  if (next) {
    const summary = { version: next.version, createdAt: round.endedAt, reason: versionReason(round), satisfied: next.report.satisfied };
    await context.saveVersion({ ...summary, markdown: next.markdown }, next.report, structuredClone(record));
    // Readers get the type check and the version in one turn (no "checking…" flash in between).
    job.recordTypecheck(next.typecheck);
    job.acceptVersion(summary, next.markdown);
  }
  publish();
  return { next, stopped: false };
}

function versionReason(round: RepairRoundRecord): string {
  const repaired = round.sections.filter((section) => section.state === "accepted").map((section) => section.number);
  return `Repair round ${round.round}: section${repaired.length === 1 ? "" : "s"} ${repaired.join(", ")}`;
}

/**
 * Applies the accepted replacements one by one, each judged again on the document so far, then
 * type-checks the result and makes sure no section or rule lost anything against the base.
 */
async function composeRound(context: RepairContext, base: RoundBase, round: RepairRoundRecord, accepted: ReadonlyMap<number, string>): Promise<RoundOutcome["next"]> {
  const refuse = (number: number, reason: string) => {
    const section = round.sections.find((entry) => entry.number === number);
    if (section) Object.assign(section, { state: "rejected", reason: `Together with the other replacements of this round: ${reason}`, gained: [] });
  };
  let markdown = base.markdown;
  let report = base.plainReport;
  const applied: number[] = [];
  for (const [number, text] of [...accepted].sort(([a], [b]) => a - b)) {
    const candidate = spliceSection(markdown, report.sections, number, text);
    const candidateReport = analyzeSections(candidate, { final: true });
    const verdict = judgeReplacement(report, candidateReport, number);
    // Section 5's gain may be its code type-checking, which a report without the compiler's verdict cannot show: it is judged with it below.
    if (!verdict.accepted && !(number === TYPE_CHECKED_SECTION && gainsNothing(verdict))) {
      refuse(number, verdict.reason);
      continue;
    }
    markdown = candidate;
    report = candidateReport;
    applied.push(number);
  }
  if (applied.length === 0) return null;
  const typecheck = await context.typecheck(markdown);
  const checked = analyzeSections(markdown, { final: true, typecheck });
  // Every section and rule keeps what it met in the base, with the compiler's verdict on both sides.
  for (const number of applied) {
    const verdict = judgeReplacement(base.checkedReport, checked, number);
    if (verdict.accepted || (number !== TYPE_CHECKED_SECTION && gainsNothing(verdict))) continue;
    if (gainsNothing(verdict)) {
      // Section 5 gains nothing once put together with the others: the round goes on without it.
      refuse(number, verdict.reason);
      return composeRound(context, base, round, new Map([...accepted].filter(([other]) => other !== number)));
    }
    for (const section of round.sections) {
      if (section.state === "accepted") Object.assign(section, { state: "rejected", reason: `The round as a whole would lose an item: ${verdict.reason}`, gained: [] });
    }
    return null;
  }
  return { markdown, version: base.version + 1, typecheck, report: checked };
}
