import "server-only";
/**
 * The repair stage of a job: up to MAX_REPAIR_ROUNDS rounds, each rewriting the sections that are
 * still not satisfied (or the ones asked for), until none is left, a round is stopped, or the
 * rounds are used up. Resumes an unfinished round after a restart (Continue).
 */
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import type { RepairDraft, RepairRecord } from "@/lib/repair/record";
import type { SectionReport } from "@/lib/sections/types";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { newRoundRecord, roundBase, runRepairRound } from "./run-round";
import type { RepairContext } from "./types";

export interface RepairStageStart {
  markdown: string;
  version: number;
  typecheck: TypecheckResult | null;
  record: RepairRecord;
  /** Replacement text written before a restart. */
  drafts: readonly RepairDraft[];
}

export interface RepairStageResult {
  stopped: boolean;
  markdown: string;
  version: number;
  typecheck: TypecheckResult | null;
  report: SectionReport;
  record: RepairRecord;
}

/** A new repair record (the stage fills its rounds). */
export function newRepairRecord(options: Pick<RepairRecord, "trigger" | "target" | "maxRounds" | "fromVersion" | "firstPass">): RepairRecord {
  return { ...options, status: "running", startedAt: new Date().toISOString(), endedAt: null, rounds: [] };
}

export async function runRepairStage(context: RepairContext, start: RepairStageStart): Promise<RepairStageResult> {
  const record = structuredClone(start.record);
  record.status = "running";
  record.endedAt = null;
  let base = roundBase(start.markdown, start.version, start.typecheck);
  let drafts = start.drafts;
  context.job.updateRepair(structuredClone(record));

  for (;;) {
    const unfinished = record.rounds.at(-1)?.endedAt === null ? record.rounds.at(-1) : undefined;
    let sections;
    if (unfinished) {
      // Resume: the same sections, with what the checker says now about the base.
      sections = sectionsToRepair(base.checkedReport, unfinished.sections.map((section) => section.number));
      const restored = new Set(sections.map((section) => section.number));
      for (const section of unfinished.sections) {
        if (!restored.has(section.number) || section.state === "accepted") continue;
        if (section.state === "stopped") Object.assign(section, { state: "queued", reason: null });
      }
      for (const section of unfinished.sections) {
        if (section.state === "accepted") section.state = "judging"; // judged again from its draft
      }
    } else {
      if (record.rounds.length >= record.maxRounds) break;
      // A spend limit reached in the last round: no new round (its requests could not start).
      if (context.spend.stopReason()) break;
      sections = sectionsToRepair(base.checkedReport, record.target);
      if (sections.length === 0) break;
      record.rounds.push(newRoundRecord(record.rounds.length + 1, base, sections));
    }
    // A resumed round whose sections the document meets by now runs empty: it just ends.
    const outcome = await runRepairRound(context, record, base, sections, drafts);
    drafts = [];
    if (outcome.stopped) {
      record.status = "stopped";
      context.job.updateRepair(structuredClone(record));
      return { stopped: true, markdown: base.markdown, version: base.version, typecheck: base.typecheck, report: base.checkedReport, record };
    }
    if (outcome.next) base = roundBase(outcome.next.markdown, outcome.next.version, outcome.next.typecheck);
  }
  record.status = "finished";
  record.endedAt = new Date().toISOString();
  context.job.updateRepair(structuredClone(record));
  return { stopped: false, markdown: base.markdown, version: base.version, typecheck: base.typecheck, report: base.checkedReport, record };
}
