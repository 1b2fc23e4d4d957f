/**
 * The single machine-readable copy of the section rubric (product definition:
 * shared/RUBRIC.md). The sidebar, the analyzer, the final report, the section contract
 * appended to the master prompt (lib/prompts/section-contract.ts) and the tests all read
 * this list; a test checks that the titles appear, in order, in
 * prompts/master-prompt.txt so the prompt and the rubric cannot drift apart.
 *
 * Its words (titles, keywords, items, labels, contract lines) are data, in rubric.json beside
 * this module; how an item is judged is code (./checks, keyed by section number and item id).
 * This module checks the data against the schema below when it is first imported (in the
 * server, the browser and the tests alike) and exports it as the typed list: a rubric that does
 * not fit stops the build and every test, saying where.
 */
import * as z from "zod/mini";
import rubricData from "./rubric.json" with { type: "json" };

const text = z.string().check(z.minLength(1));

/**
 * One line of the section contract: the concrete shape that meets an item, told to the
 * model. Text in backticks is to be written as shown (`<…>` is the model's to fill). It
 * must be what the item's check accepts (tests/prompts/section-contract.test.ts builds a
 * text that follows the lines, and only them, and shows it satisfied) and a shape a reader
 * benefits from. `{ sameAs: id }`: the line of another item of the same list says it.
 */
const contractLine = z.union([text, z.strictObject({ sameAs: text })]);
export type ContractLine = z.infer<typeof contractLine>;

const requirementDef = z.strictObject({
  id: text,
  label: text,
  required: z.boolean(),
  /** Plain-words description of what is missing, shown when the item is unmet. */
  unmetLabel: z.optional(text),
  /** Not optional: no item can be added without telling the model how to meet it. */
  contract: contractLine,
  /**
   * Judged by a server-side check instead of the text analyzer (the TypeScript compiler,
   * lib/typecheck). Until its result is given to the analyzer the item is pending: neither met nor failed.
   */
  external: z.optional(z.literal("typecheck")),
});
export type RequirementDef = z.infer<typeof requirementDef>;

const sectionDefinition = z.strictObject({
  number: z.int().check(z.positive()),
  id: text,
  title: text,
  /**
   * Words used to recognise reworded headings. Each entry is one word group;
   * alternatives inside a group are separated by "|" and matched as word prefixes.
   */
  keywords: z.array(text),
  requirements: z.array(requirementDef).check(z.minLength(1)),
});
export type SectionDef = z.infer<typeof sectionDefinition>;

/** A rule of the whole document; `contract` as in a section's items. */
const documentRuleDef = z.strictObject({ id: text, label: text, required: z.boolean(), contract: contractLine });
export type DocumentRuleDef = z.infer<typeof documentRuleDef>;

const rubricSchema = z.strictObject({ sections: z.array(sectionDefinition), documentRules: z.array(documentRuleDef) });
export type Rubric = z.infer<typeof rubricSchema>;

/** What the schema cannot say about one list of items: ids are unique, and a `sameAs` names another item of the list. */
function listProblems(where: string, items: readonly { id: string; contract: ContractLine }[]): string[] {
  const ids = items.map((item) => item.id);
  const problems = ids.filter((id, index) => ids.indexOf(id) !== index).map((id) => `${where}: "${id}" is used twice`);
  for (const item of items) {
    const target = typeof item.contract === "string" ? null : item.contract.sameAs;
    if (target !== null && (target === item.id || !ids.includes(target))) problems.push(`${where}: "${item.id}" is sameAs "${target}", which is no other item of its list`);
  }
  return problems;
}

/** Sections are looked up by number (`SECTIONS[number - 1]`): they must be numbered 1, 2, … in order, with ids of their own. */
export function rubricProblems(rubric: Rubric): string[] {
  const problems = rubric.sections.flatMap((section, index) => [
    ...(section.number === index + 1 ? [] : [`section ${section.number} ("${section.id}") stands at position ${index + 1}`]),
    ...listProblems(`section ${section.number}`, section.requirements),
  ]);
  const sectionIds = rubric.sections.map((section) => section.id);
  problems.push(...sectionIds.filter((id, index) => sectionIds.indexOf(id) !== index).map((id) => `section id "${id}" is used twice`));
  return [...problems, ...listProblems("document rules", rubric.documentRules)];
}

/** The rubric's data as the typed list; throws, saying where, when it does not fit. */
export function parseRubric(data: unknown): Rubric {
  const result = rubricSchema.safeParse(data);
  if (!result.success) throw new Error(`The rubric (lib/sections/rubric.json) does not fit its schema:\n${z.prettifyError(result.error)}`);
  const problems = rubricProblems(result.data);
  if (problems.length > 0) throw new Error(`The rubric (lib/sections/rubric.json) is inconsistent: ${problems.join("; ")}.`);
  return result.data;
}

const rubric = parseRubric(rubricData);

export const SECTIONS: readonly SectionDef[] = rubric.sections;

export const DOCUMENT_RULES: readonly DocumentRuleDef[] = rubric.documentRules;

/** Section definition by number (1-based). */
export function sectionDef(number: number): SectionDef | undefined {
  return SECTIONS[number - 1];
}
