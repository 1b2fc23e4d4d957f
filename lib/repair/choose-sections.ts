/**
 * Which sections a repair rewrites, and what each is missing: the required items the checker
 * found unmet, in plain words with its reasons. Pure; browser-safe.
 */
import { sectionDef } from "@/lib/sections/rubric";
import type { SectionReport, SectionResult } from "@/lib/sections/types";
import type { RepairItem } from "./record";

export interface SectionToRepair {
  number: number;
  title: string;
  /** The document has no such section: the replacement is inserted at its place. */
  missing: boolean;
  items: RepairItem[];
}

/** The required items of a section that are unmet (a pending item, still being checked, is not). */
export function unmetItems(section: SectionResult): RepairItem[] {
  const def = sectionDef(section.number);
  return section.requirements
    .filter((item) => item.required && !item.met && !item.pending)
    .map((item) => ({
      id: item.id,
      label: def?.requirements.find((req) => req.id === item.id)?.unmetLabel ?? item.label,
      reason: section.state === "missing" ? "The section is missing." : item.reason,
    }));
}

/** True when the section can be repaired: incomplete or missing (not satisfied, not still being checked). */
export function needsRepair(section: SectionResult): boolean {
  return (section.state === "incomplete" || section.state === "missing") && unmetItems(section).length > 0;
}

/**
 * The sections to rewrite, in document order: every one not satisfied, or only those of
 * `target` (a section's Repair button) that are not.
 */
export function sectionsToRepair(report: SectionReport, target: readonly number[] | null): SectionToRepair[] {
  return report.sections
    .filter((section) => (target === null || target.includes(section.number)) && needsRepair(section))
    .map((section) => ({ number: section.number, title: section.title, missing: section.state === "missing", items: unmetItems(section) }));
}
