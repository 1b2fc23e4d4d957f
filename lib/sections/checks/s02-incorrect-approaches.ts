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

interface State {
  items: Item[];
  /** Index of the approach receiving lines, -1 outside any approach. */
  current: number;
  symptoms: boolean;
}

function startsApproach(line: LineInfo): boolean {
  if (line.label === null) return false;
  return APPROACH.test(line.label) && (line.kind === "heading" || line.boldOnly || line.kind === "list" || line.startsBlock);
}

export const incorrectApproachesCheck: SectionCheck<State> = {
  create: () => ({ items: [], current: -1, symptoms: false }),
  line(s, line) {
    if (line.kind === "blank") return;
    if (startsApproach(line) && line.label !== null) {
      const item = addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
      if (PROPER_LABEL.test(line.label) && WRONG_MARKERS.test(line.raw)) item.marks |= LABELLED;
      s.current = s.items.length - 1;
      return;
    }
    if ((line.label !== null && SYMPTOMS_LABEL.test(line.label)) || SYMPTOMS_TEXT.test(line.text)) {
      s.symptoms = true;
      if (line.kind === "heading") s.current = -1;
      return;
    }
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
