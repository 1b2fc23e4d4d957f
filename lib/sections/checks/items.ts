/**
 * Sub-items of a section (incorrect approaches, foot-guns, situations, concepts,
 * failure modes). Each item keeps a bitmask of the parts found inside it so
 * "every item has X" can be judged per item, not by keywords anywhere in the section.
 */
import { stripInlineMarkdown } from "../text";
import type { Verdict } from "./types";

export interface Item {
  name: string;
  lineNo: number;
  /** Heading level that opened it (7 for bold/list/plain-label items). */
  level: number;
  marks: number;
}

/** Visible name of an item (its line without Markdown markers), shortened for reasons. */
function itemName(content: string): string {
  const name = stripInlineMarkdown(content);
  return name.length > 60 ? `${name.slice(0, 57)}…` : name;
}

export function addItem(items: Item[], content: string, lineNo: number, level: number): Item {
  const item: Item = { name: itemName(content), lineNo, level, marks: 0 };
  items.push(item);
  return item;
}

const plural = (noun: string) => (/(?:s|ch|sh|x)$/.test(noun) ? `${noun}es` : `${noun}s`);

/** "Every item has <what>": lists the items that lack it, by name. */
export function everyItem(items: readonly Item[], bit: number, noun: string, what: string): Verdict {
  if (items.length === 0) return { met: false, reason: `No ${noun} found, so none ${what}.` };
  const lacking = items.filter((item) => (item.marks & bit) === 0);
  if (lacking.length === 0) return { met: true, reason: `All ${items.length} ${plural(noun)} ${what}.` };
  const names = lacking.map((item) => `"${item.name}" (line ${item.lineNo})`).join(", ");
  return { met: false, reason: `${lacking.length} of ${items.length} ${plural(noun)} do not: ${names}.` };
}

export function atLeast(count: number, minimum: number, noun: string): Verdict {
  return count >= minimum
    ? { met: true, reason: `${count} ${count === 1 ? noun : plural(noun)} found.` }
    : { met: false, reason: `Found ${count} ${count === 1 ? noun : plural(noun)}, need at least ${minimum}.` };
}
