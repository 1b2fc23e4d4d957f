/**
 * Section 9 — Foot-Guns & Common Mistakes. Each mistake needs its own labelled parts
 * (heading, bold label, "Label:" or a sentence starting with the label). A word like
 * "detect" inside the fix paragraph does not count as a detection part.
 */
import type { LineInfo } from "../line";
import { addItem, atLeast, everyItem, type Item } from "./items";
import type { SectionCheck } from "./types";

const WHY = 1;
const BREAKS = 2;
const DETECT = 4;
const FIX = 8;

const FIELDS: readonly [bit: number, pattern: RegExp][] = [
  [WHY, /^(?:why (?:engineers|teams|people|developers|devs|we|you|it happens|it['’]?s tempting|it is tempting|do|they)|why\b|the temptation|temptation|tempting|reason)/],
  [DETECT, /^(?:how (?:to|do you|you|can you|we) (?:detect|spot|notice|catch|find|see)|to detect|detect|detection|early (?:warning|detection|signals?)|signals?\b|monitoring|alerting|how it shows up)/],
  [FIX, /^(?:how to (?:fix|avoid|prevent|remediate)|(?:the )?fix|fixes|avoid|avoidance|remedy|remediation|prevention|prevent|mitigation|solution|correct (?:approach|version|pattern)|do this instead|instead)/],
  [BREAKS, /^(?:what (?:breaks|goes wrong|fails|happens|it breaks)|breaks|impact|consequences?|symptoms?|production impact|in production|blast radius|failure)/],
];
const MISTAKE = /foot-?\s?gun|mistake|pitfall|gotcha|#\s*\d/;

function fieldOf(label: string | null): number {
  if (label === null) return 0;
  for (const [bit, pattern] of FIELDS) if (pattern.test(label)) return bit;
  return 0;
}

interface State {
  items: Item[];
}

function startsMistake(line: LineInfo, field: number): boolean {
  if (field !== 0 || line.label === null) return false;
  if (line.kind === "heading" || line.boldOnly) return true;
  if (MISTAKE.test(line.label) && line.startsBlock) return true;
  return line.kind === "list" && line.ordered && /^\s*\d+[.)]\s+(?:\*\*|__)/.test(line.raw);
}

export const footGunsCheck: SectionCheck<State> = {
  create: () => ({ items: [] }),
  line(s, line) {
    if (line.kind === "blank") return;
    // A field is a label, or a paragraph that starts with the label words.
    const field = fieldOf(line.label) || (line.startsBlock ? fieldOf(line.text) : 0);
    if (startsMistake(line, field) && line.label !== null) {
      addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
      return;
    }
    const item = s.items[s.items.length - 1];
    if (item && field !== 0) item.marks |= field;
  },
  evaluate(s) {
    return {
      "mistake-count": atLeast(s.items.length, 3, "mistake"),
      "why-engineers": everyItem(s.items, WHY, "mistake", "have a labelled \"why engineers do it\" part"),
      "what-breaks": everyItem(s.items, BREAKS, "mistake", "have a labelled \"what breaks\" part"),
      detection: everyItem(s.items, DETECT, "mistake", "have a labelled \"how to detect it early\" part"),
      fix: everyItem(s.items, FIX, "mistake", "have a labelled \"how to fix or avoid it\" part"),
    };
  },
};
