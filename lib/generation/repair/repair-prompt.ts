import "server-only";
/**
 * The request that repairs one section. It carries only what that section needs (the cost goal:
 * a round of repairs should cost a fraction of the first pass): the master prompt's role, topic,
 * global rules and style constraints, what it asks of this one section with this section's
 * contract lines, the document's outline, the section's current text, the items it misses with
 * the checker's reasons, and for section 5 the compiler's errors. Not the other sections' text.
 */
import { getMasterPrompt, sectionPrompt } from "@/lib/prompts/master-prompt";
import type { SectionToRepair } from "@/lib/repair/choose-sections";
import { documentOutline } from "@/lib/repair/outline";
import { sectionText } from "@/lib/repair/section-text";
import type { SectionReport } from "@/lib/sections/types";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { roleLine, seedBlock } from "./seed-prompt-parts";

/** The line a repair request is recognised by (the fake model server and the demo model read it). */
export const REPAIR_MARKER = "SECTION TO REWRITE:";
const MAX_TYPE_ERRORS = 15;

function typeErrors(typecheck: TypecheckResult | null): string[] {
  if (!typecheck || typecheck.status !== "checked") return [];
  return typecheck.section5.diagnostics
    .filter((diagnostic) => diagnostic.severity === "error")
    .slice(0, MAX_TYPE_ERRORS)
    .map((diagnostic) => `- code block ${diagnostic.block + 1}, line ${diagnostic.line}: TS${diagnostic.code} ${diagnostic.message}`);
}

export interface RepairPromptInput {
  topic: string;
  markdown: string;
  /** The final report of `markdown`. */
  report: SectionReport;
  section: SectionToRepair;
  /** The type check of `markdown` (its section-5 errors go into a section-5 request). */
  typecheck: TypecheckResult | null;
}

export function buildRepairPrompt({ topic, markdown, report, section, typecheck }: RepairPromptInput): string {
  const seed = getMasterPrompt("seed").template;
  const { number, title, masterPrompt, contract } = sectionPrompt(section.number);
  const current = sectionText(markdown, report.sections, number);
  const errors = number === 5 ? typeErrors(typecheck) : [];
  const parts = [
    roleLine(seed),
    `You wrote a production-grade Markdown design document for this topic:\n\nTOPIC: ${topic}`,
    `One of its mandatory sections does not meet the bar. Rewrite that one section, completely.\n\n${REPAIR_MARKER} ${number}. ${title}`,
    `What the master prompt asks of this section:\n\n${masterPrompt}`,
    `The contract lines the section is checked against (meet every one; text in backticks as shown, without the backticks; fill each <…> with concrete, topic-specific content):\n\n${contract}`,
    seedBlock(seed, "Global rules (MANDATORY):"),
    seedBlock(seed, "STYLE CONSTRAINTS"),
    `What the checker found missing:\n\n${section.items.map((item) => `- ${item.label}: ${item.reason}`).join("\n")}`,
  ];
  if (errors.length > 0) {
    parts.push(`The TypeScript compiler (strict mode, real type declarations) reports these errors in this section's code:\n\n${errors.join("\n")}\n\nFix every one: declare or import every name, and use the libraries' real APIs.`);
  }
  parts.push(`The document's outline (the other sections stay as they are; refer to them by these names):\n\n${documentOutline(markdown, report)}`);
  parts.push(
    current === null
      ? `The document has no section ${number}: write it from scratch.`
      : `The section's current text (keep what is right in it, fix and add what is missing):\n\n<<<SECTION\n${current.trimEnd()}\nSECTION>>>`,
  );
  parts.push(
    `Answer with the complete replacement of section ${number} only. Start with its heading line, \`## ${number}. ${title}\`, and stop where the section ends: ` +
      "no preamble, no other section's heading, no commentary after it.",
  );
  return parts.filter((part) => part !== "").join("\n\n");
}

/** What the model is told when a repair reply is cut at its output limit. */
export function repairContinuationPrompt(number: number): string {
  return (
    `Your previous answer was cut off before the end of section ${number} (it is the assistant message above). Continue it exactly where it stops: ` +
    "the first characters you write must follow its last character directly, even in the middle of a word, a line or a code block. " +
    `Do not repeat any text, and stop at the end of section ${number}: no other section, no commentary.`
  );
}
