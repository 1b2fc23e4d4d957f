/**
 * The section contract: appended to the master prompt, it tells the model, section by
 * section, the concrete shape that satisfies each item the checker requires. It is
 * rendered from the rubric (lib/sections/rubric.ts), the list the checker reads, so an
 * item cannot be checked without being asked for. Pure: no Node imports, no file reads.
 */
import { type ContractLine, DOCUMENT_RULES, SECTIONS, type SectionDef } from "@/lib/sections/rubric";

const TITLE = "SECTION CONTRACT (MANDATORY)";

const INTRODUCTION =
  "Each section is checked against these lines; meet all of them. Write text in backticks as shown, without the backticks; " +
  "fill each <…> with concrete, topic-specific content. Every label introduces real content, never filler.";

const CLOSING = "Now write the document, meeting every line of this contract.";

/** Written into continuation requests (see lib/prompts/continuation-prompt.ts). */
export const CONTRACT_REMINDER =
  "Keep to the SECTION CONTRACT of the first message for every section still to write: the same headings and bold labels, every line met.";

type ContractItem = { id: string; contract: ContractLine };

/** Contract line that tells the model how to meet this item (following `sameAs`), or null. */
export function contractLineFor(items: readonly ContractItem[], id: string): string | null {
  const seen = new Set<string>();
  let item = items.find((candidate) => candidate.id === id);
  while (item && typeof item.contract !== "string") {
    if (seen.has(item.id)) return null;
    seen.add(item.id);
    const target = item.contract.sameAs;
    item = items.find((candidate) => candidate.id === target);
  }
  return item && typeof item.contract === "string" && item.contract.trim() !== "" ? item.contract : null;
}

export interface ContractEntry {
  /** The line as the model reads it. */
  line: string;
  /** The items it tells how to meet: its own, then those declared `sameAs` it. */
  ids: string[];
  /** A sub-item of the last line before it that ends with ":" (rendered indented). */
  nested: boolean;
}

/**
 * The lines of one list (a section's requirements or the document rules), in rubric order.
 * `sameAs` items are said by the line they point to; the lines after one that ends with ":"
 * are its sub-items.
 */
export function contractEntries(items: readonly ContractItem[]): ContractEntry[] {
  const entries: ContractEntry[] = [];
  let nested = false;
  for (const item of items) {
    if (typeof item.contract !== "string") continue;
    const line = item.contract;
    const others = items.filter((other) => other.id !== item.id && typeof other.contract !== "string" && contractLineFor(items, other.id) === line);
    entries.push({ line, ids: [item.id, ...others.map((other) => other.id)], nested });
    if (line.endsWith(":")) nested = true;
  }
  return entries;
}

function renderEntries(entries: readonly ContractEntry[]): string[] {
  return entries.map((entry) => `${entry.nested ? "  " : ""}- ${entry.line}`);
}

function renderSection(def: SectionDef): string {
  return [`Section ${def.number} — ${def.title}`, ...renderEntries(contractEntries(def.requirements))].join("\n");
}

/** The contract block of one section: its title line and its lines (what a per-section request needs). */
export function sectionContract(number: number): string {
  const def = SECTIONS[number - 1];
  if (!def) throw new RangeError(`There is no section ${number}; sections are numbered 1 to ${SECTIONS.length}.`);
  return renderSection(def);
}

/** The lines that hold for the whole document (title, headings, code, markers). */
export function documentContract(): string {
  return ["Whole document", ...renderEntries(contractEntries(DOCUMENT_RULES))].join("\n");
}

/** The full contract appended to the seed master prompt. */
export function renderSectionContract(): string {
  return [TITLE, INTRODUCTION, documentContract(), ...SECTIONS.map(renderSection), CLOSING].join("\n\n");
}
