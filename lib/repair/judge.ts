/**
 * Whether a section's replacement is kept: it must meet more of that section's required items
 * and lose none it met, and leave the rest of the document no worse (every other section keeps
 * the items it met, every required document rule that held still holds). Otherwise the original
 * stays and the reason says why. Compares two final reports of the whole document, before and
 * after the splice. Pure; browser-safe.
 */
import type { RuleResult } from "@/lib/sections/document-rules";
import type { SectionReport, SectionResult } from "@/lib/sections/types";

export type Judgement = { accepted: true; reason: string; gained: string[] } | { accepted: false; reason: string; gained: [] };

/** Ids of the required items a section meets (an item still being checked is neither met nor lost). */
function metRequired(section: SectionResult | undefined): Set<string> {
  const met = new Set<string>();
  if (!section || section.start === null) return met;
  for (const item of section.requirements) if (item.required && item.met && !item.pending) met.add(item.id);
  return met;
}

function labelsOf(section: SectionResult | undefined, ids: readonly string[]): string {
  return ids.map((id) => section?.requirements.find((item) => item.id === id)?.label ?? id).join("; ");
}

function brokenRules(before: readonly RuleResult[], after: readonly RuleResult[]): RuleResult[] {
  return after.filter((rule) => rule.required && !rule.met && before.some((old) => old.id === rule.id && old.met));
}

/** The start of the reason a replacement that loses nothing but gains nothing either is refused with. */
const NO_GAIN = "It meets no more required items than the original";

/** The replacement was refused only because it gains nothing (it loses nothing, breaks nothing). */
export function gainsNothing(judgement: Judgement): boolean {
  return !judgement.accepted && judgement.reason.startsWith(NO_GAIN);
}

export function judgeReplacement(before: SectionReport, after: SectionReport, number: number): Judgement {
  const find = (report: SectionReport, n: number) => report.sections.find((section) => section.number === n);
  const old = find(before, number);
  const now = find(after, number);
  const metBefore = metRequired(old);
  const metAfter = metRequired(now);
  const lost = [...metBefore].filter((id) => !metAfter.has(id));
  if (lost.length > 0) return { accepted: false, reason: `It would lose what the section met: ${labelsOf(old, lost)}.`, gained: [] };

  for (const section of before.sections) {
    if (section.number === number) continue;
    const other = find(after, section.number);
    const otherLost = [...metRequired(section)].filter((id) => !metRequired(other).has(id));
    if (otherLost.length > 0) {
      return { accepted: false, reason: `It would make section ${section.number} worse (${labelsOf(section, otherLost)}).`, gained: [] };
    }
  }
  const broken = brokenRules(before.rules, after.rules);
  if (broken.length > 0) {
    const details = broken.map((rule) => `${rule.label}${rule.detail ? `: ${rule.detail}` : ""}`).join("; ");
    return { accepted: false, reason: `It would break a document rule (${details}).`, gained: [] };
  }
  const gained = [...metAfter].filter((id) => !metBefore.has(id));
  if (gained.length === 0) {
    const stillUnmet = (now ?? old)?.requirements.filter((item) => item.required && !item.met && !item.pending).map((item) => item.label) ?? [];
    return { accepted: false, reason: `${NO_GAIN}${stillUnmet.length ? ` (still unmet: ${stillUnmet.join("; ")})` : ""}.`, gained: [] };
  }
  return { accepted: true, reason: `It meets ${gained.length} more required item${gained.length === 1 ? "" : "s"}: ${labelsOf(now, gained)}.`, gained };
}
