/**
 * The page shows a section being rewritten in place, as the model writes it: the current
 * version with each such section's replacement so far put where the section is (or, for a
 * missing one, where it belongs). A replacement that was kept out (rejected, failed) disappears:
 * the original shows again. Framework-free.
 */
import { extractSectionReply } from "@/lib/repair/extract-reply";
import { currentRound, type RepairRecord } from "@/lib/repair/record";
import { sectionHeadingMarks } from "@/lib/repair/section-text";
import { spliceSections } from "@/lib/repair/splice";
import type { SectionReport } from "@/lib/sections/types";

export interface SectionDraft {
  round: number;
  text: string;
}

const SHOWN = new Set(["streaming", "judging", "accepted"]);

export function showRepairsInPlace(markdown: string, report: SectionReport, repair: RepairRecord | null, drafts: ReadonlyMap<number, SectionDraft>): string {
  const round = currentRound(repair);
  if (!round || round.endedAt !== null || drafts.size === 0) return markdown;
  const marks = sectionHeadingMarks(markdown, report.sections);
  const replacements = new Map<number, string>();
  for (const section of round.sections) {
    const draft = drafts.get(section.number);
    if (!draft || draft.round !== round.round || !SHOWN.has(section.state)) continue;
    const extracted = extractSectionReply(draft.text, section.number, { headingMarks: marks, partial: true });
    if (extracted.ok) replacements.set(section.number, extracted.text);
  }
  return replacements.size === 0 ? markdown : spliceSections(markdown, report.sections, replacements);
}
