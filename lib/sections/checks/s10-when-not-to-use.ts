/** Section 10 — When NOT to Use This. Situations are sub-headings, bold items or ❌ lines. */
import type { LineInfo } from "../line";
import { countWords, WRONG_MARKERS } from "../text";
import { addItem, atLeast, everyItem, type Item } from "./items";
import type { SectionCheck } from "./types";

const INSTEAD_BIT = 1;
const WHY_BIT = 2;

const FIELD_LABEL = /^(?:use instead|instead|alternative|better|why|reason|because|use\b|prefer|what to use)/;
const INSTEAD = /^instead\b|\buse instead\b|\binstead,? use\b|\buse\b.{1,80}\binstead\b|\binstead\b.{0,20}\b(?:use|reach for|prefer|pick|choose)\b|\balternatives?:|\bprefer\b|\breach for\b|\bbetter (?:fit|choice|option|tool)\b/;
const WHY = /\bbecause\b|\bsince\b|\bwhy\b|\bthe reason\b|\bwhich (?:means|avoids|keeps|gives|removes|makes)\b|\bso that\b|\b(?:it|this|that) (?:avoids|keeps|gives|removes|costs)\b/;

// After the alternative, a reason introduced by a dash, colon, semicolon, "so", "whereas",
// ", as", "which", or a second sentence: "**Use instead:** a queue — it absorbs bursts."
const ALTERNATIVE_THEN_REASON =
  /^[\s:—–-]*[^\s:—–;,.!?][^:—–;.!?]*?(?:\s*[—–]|\s-\s|:|;|,?\s+(?:so|whereas|which)\b|,\s*as\b|\s+as (?:it|they|this|there|nothing|no|each|every)\b|[.!?]\s+)(.*)$/;
const ABBREVIATION = /\b(?:e\.g|i\.e|etc|vs|cf|approx)\./g;
const MIN_REASON_WORDS = 2;
/** A following plain sentence in the same situation explains the alternative just named. */
const MIN_FOLLOWING_WORDS = 4;

function reasonAfterAlternative(rest: string): boolean {
  const match = ALTERNATIVE_THEN_REASON.exec(rest.replace(ABBREVIATION, "eg"));
  return match !== null && countWords(match[1] ?? "") >= MIN_REASON_WORDS;
}

interface State {
  items: Item[];
}

function startsSituation(line: LineInfo): boolean {
  const label = line.label;
  if (label !== null && FIELD_LABEL.test(label)) return false;
  if (line.kind === "heading" || line.boldOnly) return label !== null && label !== "";
  if (line.kind === "list" && /^\s*(?:[-*+]|\d+[.)])\s+(?:[❌✗]\s*)?(?:\*\*|__)/u.test(line.raw)) return true;
  return line.startsBlock && WRONG_MARKERS.test(line.raw.slice(0, 8));
}

export const whenNotToUseCheck: SectionCheck<State> = {
  create: () => ({ items: [] }),
  line(s, line) {
    if (line.kind === "blank") return;
    if (startsSituation(line)) addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
    const item = s.items[s.items.length - 1];
    if (!item) return;
    const instead = INSTEAD.exec(line.text);
    if (instead) {
      item.marks |= INSTEAD_BIT;
      if (reasonAfterAlternative(line.text.slice(instead.index + instead[0].length))) item.marks |= WHY_BIT;
    } else if (item.marks & INSTEAD_BIT && line.kind === "text" && line.label === null && countWords(line.text) >= MIN_FOLLOWING_WORDS) {
      item.marks |= WHY_BIT;
    }
    if (WHY.test(line.text)) item.marks |= WHY_BIT;
  },
  evaluate(s) {
    return {
      "harmful-situations": atLeast(s.items.length, 2, "harmful situation"),
      "use-instead": everyItem(s.items, INSTEAD_BIT, "situation", "say what to use instead"),
      "instead-why": everyItem(s.items, WHY_BIT, "situation", "explain why"),
    };
  },
};
