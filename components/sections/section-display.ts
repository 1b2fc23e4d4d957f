/** Display words for states and requirement marks (text, not colour, carries meaning). */
import { sectionDef } from "@/lib/sections/rubric";
import type { RequirementResult, SectionResult, SectionState } from "@/lib/sections/analyzer";

export const STATE_TEXT: Record<SectionState, string> = {
  pending: "Not started",
  writing: "Writing…",
  checking: "Checking…",
  satisfied: "Satisfied",
  incomplete: "Incomplete",
  missing: "Missing",
};

/** Plain glyphs (no emoji); decorative, the state is also written out. */
export const STATE_ICON: Record<SectionState, string> = {
  pending: "○",
  writing: "◐",
  checking: "◔",
  satisfied: "✓",
  incomplete: "!",
  missing: "✕",
};

/** Whether an unmet item is a real gap, "not written yet", or waiting for the server's check. */
export function requirementStatus(section: SectionResult, requirement: RequirementResult): "met" | "unmet" | "not-yet" | "checking" {
  if (requirement.met) return "met";
  if (section.state === "pending" || section.state === "writing") return "not-yet";
  return requirement.pending ? "checking" : "unmet";
}

export function unmetDescription(sectionNumber: number, requirementId: string): string | undefined {
  return sectionDef(sectionNumber)?.requirements.find((req) => req.id === requirementId)?.unmetLabel;
}

/** Cheap per-frame signature: a row re-renders only when what it shows changed. */
export function sectionSignature(section: SectionResult, repairing?: { items: readonly { id: string }[] }): string {
  let signature = `${section.state}|${section.start}|${section.end}|${section.heading}|${repairing ? repairing.items.map((item) => item.id).join(",") : "-"}`;
  for (const req of section.requirements) signature += `|${req.met ? 1 : 0}${req.pending ? "p" : ""}${req.required ? "r" : ""}${req.reason}`;
  return signature;
}
