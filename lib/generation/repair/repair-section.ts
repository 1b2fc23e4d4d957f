import "server-only";
/**
 * One section's repair request: streamed through runModelStream (so timeouts, backoff and
 * Retry-After, cancel, automatic continuation, finish reasons, reasoning kept out of the text and
 * redacted provider messages hold as for the first pass; its automatic recoveries are noted in the
 * document's history naming the section), its text shown live, then cut to the section
 * (extractSectionReply) and judged against the round's base document.
 */
import { analyzeSections } from "@/lib/sections/analyzer";
import type { SectionReport } from "@/lib/sections/types";
import type { SectionToRepair } from "@/lib/repair/choose-sections";
import { extractSectionReply } from "@/lib/repair/extract-reply";
import { judgeReplacement, type Judgement } from "@/lib/repair/judge";
import { addUsage, NO_USAGE, type TokenUsage } from "@/lib/repair/record";
import { sectionHeadingMarks } from "@/lib/repair/section-text";
import { spliceSection } from "@/lib/repair/splice";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { runModelStream } from "../run-model-stream";
import { tokenUsage } from "../token-usage";
import { buildRepairPrompt, repairContinuationPrompt } from "./repair-prompt";
import type { RepairContext, RoundBase } from "./types";

/** The section whose code is type-checked: its replacements are judged with the compiler's verdict. */
export const TYPE_CHECKED_SECTION = 5;

export type SectionRepairResult =
  | { kind: "judged"; judgement: Judgement; text: string; usage: TokenUsage }
  | { kind: "failed"; reason: string; usage: TokenUsage }
  | { kind: "stopped"; usage: TokenUsage };

/** Judges a replacement reply against the round's base document. */
export async function judgeReply(context: RepairContext, base: RoundBase, number: number, reply: string): Promise<{ judgement: Judgement; text: string }> {
  const extracted = extractSectionReply(reply, number, { headingMarks: sectionHeadingMarks(base.markdown, base.plainReport.sections) });
  if (!extracted.ok) return { judgement: { accepted: false, reason: extracted.reason, gained: [] }, text: "" };
  const candidate = spliceSection(base.markdown, base.plainReport.sections, number, extracted.text);
  let before: SectionReport = base.plainReport;
  let after: SectionReport;
  if (number === TYPE_CHECKED_SECTION) {
    // Section 5's code must type-check: judged with the compiler's result for the spliced document.
    const typecheck: TypecheckResult = await context.typecheck(candidate);
    if (typecheck.status !== "checked") {
      return { judgement: { accepted: false, reason: `The type check of the new code could not run (${typecheck.reason ?? "unknown reason"}).`, gained: [] }, text: "" };
    }
    before = base.checkedReport;
    after = analyzeSections(candidate, { final: true, typecheck });
  } else {
    after = analyzeSections(candidate, { final: true });
  }
  return { judgement: judgeReplacement(before, after, number), text: extracted.text };
}

export async function repairSection(context: RepairContext, base: RoundBase, section: SectionToRepair, round: number, prefix: string): Promise<SectionRepairResult> {
  const { job, settings } = context;
  let usage = NO_USAGE;
  let reply = prefix;
  const label = `The repair of section ${section.number} (round ${round})`;
  let outcome;
  try {
    outcome = await runModelStream({
      model: context.model,
      prompt: buildRepairPrompt({ topic: context.topic, markdown: base.markdown, report: base.checkedReport, section, typecheck: base.typecheck }),
      promptStyle: context.promptStyle,
      prefix,
      ...settings,
      signal: job.controller.signal,
      onText: (delta) => {
        reply += delta;
        job.appendSection(section.number, round, delta);
      },
      onActivity: (activity) => context.activity?.set(section.number, activity),
      onNote: (kind, message) => job.note(kind, `${label}: ${message}`),
      onUsage: async (requestUsage) => {
        usage = addUsage(usage, tokenUsage(requestUsage));
        await context.spend.onUsage(requestUsage);
      },
      stopReason: () => context.spend.stopReason(),
      continuationInstruction: () => repairContinuationPrompt(section.number),
    });
  } finally {
    context.activity?.clear(section.number);
  }
  if (outcome.status === "cancelled") return { kind: "stopped", usage };
  if (outcome.status === "failed") return { kind: "failed", reason: outcome.error, usage };
  const judged = await judgeReply(context, base, section.number, reply);
  return { kind: "judged", ...judged, usage };
}
