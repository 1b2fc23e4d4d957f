/** Section 11 — Related Concepts. Each concept (sub-heading or bold item) needs a contrast. */
import type { LineInfo } from "../line";
import { addItem, atLeast, everyItem, type Item } from "./items";
import type { SectionCheck } from "./types";

const CONTRAST_BIT = 1;
const CONTRAST = /\bdiffers?\b|\bdifferen(?:ce|t)\b|\bwhereas\b|\bunlike\b|\bvs\.?(?:\s|$)|\bversus\b|\binteract(?:s|ion|ions)?\b|\bcomplement(?:s|ary)?\b|^while\b|,\s*while\b|\balongside\b|\bpairs? (?:well )?with\b|\btogether with\b|\bused together\b|\bin tandem\b|\binstead of\b|\bon the other hand\b|\bin contrast\b|\bcompared (?:to|with)\b|\brather than\b|\bcombine[sd]?\b|\bcomposes?\b/;

interface State {
  items: Item[];
}

function startsConcept(line: LineInfo): boolean {
  if (line.label === null || line.label === "") return false;
  if (line.kind === "heading" || line.boldOnly) return true;
  return line.kind === "list" && /^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)/.test(line.raw);
}

export const relatedConceptsCheck: SectionCheck<State> = {
  create: () => ({ items: [] }),
  line(s, line) {
    if (line.kind === "blank") return;
    if (startsConcept(line) && line.label !== null) addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
    const item = s.items[s.items.length - 1];
    if (item && CONTRAST.test(line.text)) item.marks |= CONTRAST_BIT;
  },
  evaluate(s) {
    return {
      "concept-count": atLeast(s.items.length, 2, "related concept"),
      "concept-contrast": everyItem(s.items, CONTRAST_BIT, "concept", "state a difference or interaction"),
    };
  },
};
