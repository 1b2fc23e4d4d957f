/**
 * Sub-items of a section (incorrect approaches, foot-guns, situations, concepts,
 * failure modes). Each item keeps a bitmask of the parts found inside it so
 * "every item has X" can be judged per item, not by keywords anywhere in the section.
 */
import type { Verdict } from "./types";

export interface Item {
  name: string;
  lineNo: number;
  /** Heading level that opened it (7 for bold/list/plain-label items). */
  level: number;
  marks: number;
}

export function itemName(label: string): string {
  const name = label.replace(/\s+/g, " ").trim();
  return name.length > 60 ? `${name.slice(0, 57)}…` : name;
}

export function addItem(items: Item[], label: string, lineNo: number, level: number): Item {
  const item: Item = { name: itemName(label), lineNo, level, marks: 0 };
  items.push(item);
  return item;
}

/** "Every item has <what>": lists the items that lack it, by name. */
export function everyItem(items: readonly Item[], bit: number, noun: string, what: string): Verdict {
  if (items.length === 0) return { met: false, reason: `No ${noun} found, so none ${what}.` };
  const lacking = items.filter((item) => (item.marks & bit) === 0);
  if (lacking.length === 0) return { met: true, reason: `All ${items.length} ${noun}s ${what}.` };
  const names = lacking.map((item) => `"${item.name}" (line ${item.lineNo})`).join(", ");
  return { met: false, reason: `${lacking.length} of ${items.length} ${noun}s do not: ${names}.` };
}

export function atLeast(count: number, minimum: number, noun: string): Verdict {
  return count >= minimum
    ? { met: true, reason: `${count} ${noun}${count === 1 ? "" : "s"} found.` }
    : { met: false, reason: `Found ${count} ${noun}${count === 1 ? "" : "s"}, need at least ${minimum}.` };
}
