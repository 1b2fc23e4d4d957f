import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SECTIONS } from "@/lib/sections/rubric";
import { renderSectionContract, sectionContract } from "./section-contract";
import { DEFAULT_PROMPT_STYLE, type PromptStyle } from "./style";

const PROMPT_FILE = path.join(/* turbopackIgnore: true */ process.cwd(), "prompts", "master-prompt.txt");
const TOPIC_PLACEHOLDERS = ["<INSERT_TOPIC_NAME_HERE>", "<TOPIC NAME>"] as const;

export interface MasterPrompt {
  style: PromptStyle;
  /** The seed prompt verbatim; with the `contract` style, the section contract appended. */
  template: string;
  /** Content hash of the template: documents record which prompt wrote them, so a prompt or contract edit never passes silently. */
  version: string;
}

function readSeed(file: string): string {
  const seed = readFileSync(file, "utf8");
  if (!seed.includes(TOPIC_PLACEHOLDERS[0])) {
    throw new Error(`${file} has no ${TOPIC_PLACEHOLDERS[0]} placeholder`);
  }
  return seed;
}

/** The seed text, followed (contract style) by the section contract generated from the rubric. */
export function composeTemplate(seed: string, style: PromptStyle): string {
  return style === "seed" ? seed : `${seed.trimEnd()}\n\n${renderSectionContract()}\n`;
}

export function loadMasterPrompt(style: PromptStyle = DEFAULT_PROMPT_STYLE, file: string = PROMPT_FILE): MasterPrompt {
  const template = composeTemplate(readSeed(file), style);
  const version = `mp-${createHash("sha256").update(template).digest("hex").slice(0, 12)}`;
  return { style, template, version };
}

export function fillMasterPrompt(template: string, topic: string): string {
  // split/join instead of replace(): a topic containing "$&" must be inserted literally.
  return TOPIC_PLACEHOLDERS.reduce((text, placeholder) => text.split(placeholder).join(topic), template);
}

const cached = new Map<PromptStyle, MasterPrompt>();

export function getMasterPrompt(style: PromptStyle = DEFAULT_PROMPT_STYLE): MasterPrompt {
  let prompt = cached.get(style);
  if (!prompt) {
    prompt = loadMasterPrompt(style);
    cached.set(style, prompt);
  }
  return prompt;
}

/**
 * The seed's own text for section `number`: from its numbered title line up to the next
 * section's (for the last, up to the next all-capitals heading such as STYLE CONSTRAINTS).
 */
export function seedSectionText(seed: string, number: number): string {
  const def = SECTIONS[number - 1];
  if (!def) throw new RangeError(`There is no section ${number}; sections are numbered 1 to ${SECTIONS.length}.`);
  const start = seed.indexOf(`${def.number}. ${def.title}`);
  if (start < 0) throw new Error(`The master prompt has no "${def.number}. ${def.title}" line.`);
  const next = SECTIONS[number];
  const rest = seed.slice(start + 1);
  const end = next ? rest.indexOf(`${next.number}. ${next.title}`) : rest.search(/^[A-Z][A-Z ]{3,}$/m);
  return (end < 0 ? seed.slice(start) : seed.slice(start, start + 1 + end)).trim();
}

export interface SectionPrompt {
  number: number;
  title: string;
  /** What the seed master prompt asks of this section (unfilled). */
  masterPrompt: string;
  /** This section's block of the section contract. */
  contract: string;
}

/**
 * Everything the prompt says about one section, for requests that write or repair a single
 * section and should carry only what that section needs.
 */
export function sectionPrompt(number: number): SectionPrompt {
  const def = SECTIONS[number - 1];
  if (!def) throw new RangeError(`There is no section ${number}; sections are numbered 1 to ${SECTIONS.length}.`);
  return {
    number,
    title: def.title,
    masterPrompt: seedSectionText(getMasterPrompt("seed").template, number),
    contract: sectionContract(number),
  };
}
