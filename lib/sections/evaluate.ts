/** Turns folded state into report entries. Pure functions of the state (no text access). */
import { SECTION_CHECKS } from "./checks";
import { SECTIONS } from "./rubric";
import type { SectionSlot } from "./state";
import type { RequirementResult, SectionResult, SectionState } from "./types";

function sectionState(slot: SectionSlot, requirements: readonly RequirementResult[], writing: boolean, final: boolean): SectionState {
  if (!slot.found) return final ? "missing" : "pending";
  if (writing) return "writing";
  return requirements.every((req) => req.met || !req.required) ? "satisfied" : "incomplete";
}

function evaluateRequirements(slot: SectionSlot): RequirementResult[] {
  const def = SECTIONS[slot.number - 1];
  const check = SECTION_CHECKS[slot.number - 1];
  if (!def || !check) return [];
  const verdicts = check.evaluate(slot.check);
  return def.requirements.map((req) => {
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

export function buildSectionResult(slot: SectionSlot, writing: boolean, final: boolean, end: number | null): SectionResult {
  const def = SECTIONS[slot.number - 1];
  const requirements = evaluateRequirements(slot);
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
