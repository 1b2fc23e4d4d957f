/** Section 2 — The Naive / Incorrect Approaches. */
import type { LineInfo } from "../line";
import { WRONG_MARKERS } from "../text";
import { addItem, atLeast, everyItem, type Item } from "./items";
import { met, unmet, verdict, type SectionCheck } from "./types";

const HAS_CODE = 1;
const SEEMS = 2;
const BREAKS = 4;
const LABELLED = 8;

const APPROACH = /\b(?:incorrect|wrong|naive|bad|broken)\s+approach\b|\bapproach\s*(?:#|no\.?)\s*\d+/;
const PROPER_LABEL = /\bincorrect approach\s*#?\s*\d+/;
const SEEMS_REASONABLE = /seems? (?:reasonable|right|fine|correct|safe|simple|sensible|obvious|harmless)|looks? (?:reasonable|right|fine|correct|safe|harmless)|\btempting\b|\bappeal|at first (?:glance|sight)|\bintuitive|why (?:engineers|teams|people|it) (?:choose|pick|reach|write|seem)/;
const HOW_IT_BREAKS = /how it breaks|when it breaks|how and when it breaks|why it (?:breaks|fails)|\b(?:it|this) (?:breaks|fails|falls over|collapses|deadlocks|melts down)|\bbreaks (?:when|under|as soon|once|at)|\bfails (?:when|under|as soon|once|at)|what goes wrong/;
const SYMPTOMS_LABEL = /symptom/;
const SYMPTOMS_TEXT = /production symptoms|symptoms in production/;

const BOLD_LED = /^(?:[^\p{L}\p{N}\s]{1,3}\s*)?(?:\*\*|__)/u;
const MARKER_LED = /^(?:\*\*|__)?\s*[❌✗]/u;

interface State {
  items: Item[];
  /** Index of the approach receiving lines, -1 outside any approach. */
  current: number;
  symptoms: boolean;
  /** Inside a symptoms part (its sub-heading or label up to the next heading). */
  inSymptoms: boolean;
}

/**
 * Approaches open at a sub-heading naming one ("### ❌ Incorrect Approach #1", "### Naive
 * approach"), or at a line that starts with the ✗/❌ marker or a bold "Incorrect Approach #N"
 * label. A mention elsewhere ("- Approach #2: p99 doubles" in a symptoms list) does not.
 */
function startsApproach(line: LineInfo, inSymptoms: boolean): boolean {
  if (line.label === null || !APPROACH.test(line.label)) return false;
  if (line.kind === "heading") return true;
  if (!(line.boldOnly || line.startsBlock) || (inSymptoms && line.kind === "list")) return false;
  if (MARKER_LED.test(line.content)) return true;
  return PROPER_LABEL.test(line.label) && BOLD_LED.test(line.content);
}

export const incorrectApproachesCheck: SectionCheck<State> = {
  create: () => ({ items: [], current: -1, symptoms: false, inSymptoms: false }),
  line(s, line) {
    if (line.kind === "blank") return;
    if (startsApproach(line, s.inSymptoms) && line.label !== null) {
      const item = addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
      if (PROPER_LABEL.test(line.label) && WRONG_MARKERS.test(line.raw)) item.marks |= LABELLED;
      s.current = s.items.length - 1;
      s.inSymptoms = false;
      return;
    }
    if ((line.label !== null && SYMPTOMS_LABEL.test(line.label)) || SYMPTOMS_TEXT.test(line.text)) {
      s.symptoms = true;
      s.inSymptoms = true;
      if (line.kind === "heading") s.current = -1;
      return;
    }
    if (line.kind === "heading") s.inSymptoms = false;
    const item = s.items[s.current];
    if (!item) return;
    if (line.kind === "heading" && line.headingLevel <= item.level) {
      s.current = -1;
      return;
    }
    if (SEEMS_REASONABLE.test(line.text)) item.marks |= SEEMS;
    if (HOW_IT_BREAKS.test(line.text)) item.marks |= BREAKS;
  },
  fenceOpen(s) {
    const item = s.items[s.current];
    if (item) item.marks |= HAS_CODE;
  },
  evaluate(s) {
    const labelled = s.items.filter((item) => item.marks & LABELLED).length;
    const unlabelled = s.items.length - labelled;
    const approaches =
      labelled >= 2
        ? met(`${labelled} approaches labelled "Incorrect Approach #N" with a ✗/❌ marker.`)
        : unmet(
            `${atLeast(labelled, 2, "labelled approach").reason}${unlabelled > 0 ? ` ${unlabelled} approach heading(s) lack the "Incorrect Approach #N" wording or the ✗/❌ marker.` : ""}`,
          );
    const reasoningSeems = everyItem(s.items, SEEMS, "approach", "say why it seems reasonable");
    const reasoningBreaks = everyItem(s.items, BREAKS, "approach", "say how/when it breaks");
    const reasoning = reasoningSeems.met && reasoningBreaks.met
      ? met(`All ${s.items.length} approaches say why they seem reasonable and how they break.`)
      : unmet([reasoningSeems, reasoningBreaks].filter((v) => !v.met).map((v) => v.reason).join(" "));
    return {
      "labelled-approaches": approaches,
      "approach-code": everyItem(s.items, HAS_CODE, "approach", "have their own fenced code snippet"),
      "approach-reasoning": reasoning,
      "production-symptoms": verdict(s.symptoms, "Production symptoms are described.", "No \"Production symptoms\" sub-heading or label."),
    };
  },
};
