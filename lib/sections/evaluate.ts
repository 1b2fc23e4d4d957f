/** Turns folded state into report entries. Pure functions of the state (no text access). */
import { SECTION_CHECKS } from "./checks";
import { SECTIONS } from "./rubric";
import type { SectionSlot } from "./state";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { typecheckVerdict } from "@/lib/typecheck/verdict";
import type { RequirementDef } from "./rubric";
import type { RequirementResult, SectionResult, SectionState } from "./types";

function sectionState(slot: SectionSlot, requirements: readonly RequirementResult[], writing: boolean, final: boolean): SectionState {
  if (!slot.found) return final ? "missing" : "pending";
  if (writing) return "writing";
  if (requirements.some((req) => req.required && !req.met && !req.pending)) return "incomplete";
  return requirements.some((req) => req.pending) ? "checking" : "satisfied";
}

function evaluateRequirements(slot: SectionSlot, typecheck?: TypecheckResult): RequirementResult[] {
  const def = SECTIONS[slot.number - 1];
  const check = SECTION_CHECKS[slot.number - 1];
  if (!def || !check) return [];
  const verdicts = check.evaluate(slot.check);
  return def.requirements.map((req) => {
    if (req.external && slot.found) return externalRequirement(req, typecheck);
    const verdict = verdicts[req.id];
    return {
      id: req.id,
      label: req.label,
      met: slot.found && verdict !== undefined && verdict.met,
      required: req.required,
      reason: !slot.found ? "Section not written yet." : (verdict?.reason ?? "Not checked."),
    };
  });
}

function externalRequirement(req: RequirementDef, typecheck: TypecheckResult | undefined): RequirementResult {
  const verdict = typecheckVerdict(typecheck);
  const result: RequirementResult = { id: req.id, label: req.label, met: verdict.met, required: req.required && verdict.counts, reason: verdict.reason };
  if (verdict.pending) result.pending = true;
  return result;
}

export function buildSectionResult(slot: SectionSlot, writing: boolean, final: boolean, end: number | null, typecheck?: TypecheckResult): SectionResult {
  const def = SECTIONS[slot.number - 1];
  const requirements = evaluateRequirements(slot, typecheck);
  return {
    number: slot.number,
    title: def?.title ?? `Section ${slot.number}`,
    state: sectionState(slot, requirements, writing, final),
    requirements,
    start: slot.found ? slot.start : null,
    end: slot.found ? end : null,
    heading: slot.found ? slot.heading : null,
  };
}
