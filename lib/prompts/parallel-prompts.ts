/**
 * The prompts of parallel mode: one short request for the outline, then one request per section
 * (or per part of a long section). Each section request carries only what its section needs: the
 * seed prompt's role, rules and style lines, the plan, that section's part of the seed and its
 * contract block, and (sections that contrast with section 2) section 2's text.
 *
 * Two lines are also read by the project's fake model server (tests/support/fake-openai), which
 * answers these requests from a fixture document: `TASK: plan the document` in an outline request
 * and `SECTION TO WRITE: <n>` (with ` (part <p> of <parts>)`) in a section request.
 */
import type { ImplementationPlan, Outline } from "@/lib/documents/section-parts";
import { DOCUMENT_RULES, SECTIONS } from "@/lib/sections/rubric";
import { fillMasterPrompt, getMasterPrompt, sectionPrompt } from "./master-prompt";
import { contractLineFor, sectionContract } from "./section-contract";

/** Sections whose content contrasts with section 2's incorrect approaches: they are written once section 2 is done. */
export const CONTRASTS_WITH_SECTION_2: readonly number[] = [4, 9, 10];
/** The section written as two parts at once when splitting (a quarter to a third of a document). */
export const SPLIT_SECTION = 5;

/** The seed's lines between two of its headings (the lines themselves, trimmed). */
function seedBlock(from: string, to: string): string {
  const seed = getMasterPrompt("seed").template;
  const start = seed.indexOf(from);
  const end = seed.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`The master prompt has no "${from}" … "${to}" block.`);
  return seed.slice(start, end).trim();
}

/** The seed's first instruction: who the model is. */
function roleLine(): string {
  const seed = getMasterPrompt("seed").template;
  const line = seed.split("\n").find((candidate) => candidate.startsWith("You are "));
  if (!line) throw new Error('The master prompt has no "You are …" line.');
  return line.trim();
}

/** The contract's whole-document lines that hold inside one section (not the title or the section list). */
function sectionRuleLines(): string[] {
  const ids = ["fenced-code-only", "status-markers", "no-filler"];
  return ids.map((id) => contractLineFor(DOCUMENT_RULES, id)).filter((line): line is string => line !== null);
}

/** A section's heading as the seed prompt titles it (`## 3. Correct Mental Model (How It Actually Works)`), without its emphasis marks such as "(IMPORTANT)". */
export function headingOf(number: number): string {
  const title = sectionPrompt(number).masterPrompt.split("\n")[0] ?? `${number}. ${SECTIONS[number - 1]?.title ?? ""}`;
  return `## ${title.replace(/\s*\([A-Z][A-Z ]+\)\s*$/, "").trim()}`;
}

export interface OutlinePromptOptions {
  /** Ask for the plan of section 5's two parts too. */
  splitImplementation: boolean;
  /** Why the previous answer was rejected (the one retry says it). */
  retryReason?: string;
}

/** The outline request: a short plan returned as one JSON object (validated with zod, see lib/generation/parallel/outline.ts). */
export function outlinePrompt(topic: string, options: OutlinePromptOptions): string {
  const sections = SECTIONS.map((def) => `${def.number}. ${def.title}`).join("\n");
  const fields = [
    '- "title": the document\'s title: the topic name as a reader would search for it',
    '- "summary": one sentence (at most 40 words): what the design does and why it matters',
    '- "incorrectApproaches": 2 or 3 common WRONG ways engineers implement it, most common first: [{"name": at most 6 words, "summary": at most 15 words: what it does and how it breaks}]. Section 2 presents exactly these; sections 4, 9 and 10 refer back to them',
    '- "keyTerms": 3 to 6 terms every section must use with the same meaning, each "term: definition in at most 8 words"',
    '- "sections": the 12 sections, in order: [{"number": 1 to 12, "covers": the concrete, topic-specific content it will cover, at most 15 words}]',
  ];
  if (options.splitImplementation) {
    fields.push(
      '- "implementation": section 5 is written in two parts at once, a core module and its integration: {"core": at most 15 words: what the core part writes (types, errors, the main class or functions), "integration": at most 15 words: what the second part writes (the Redis/DB/HTTP wiring and a usage example that only call the core), "declarations": up to 8 names the core exports, each with a compact TypeScript signature, e.g. "class Breaker { constructor(o: BreakerOptions); call<T>(fn: (s: AbortSignal) => Promise<T>): Promise<T> }"}',
    );
  }
  const retry = options.retryReason
    ? `\n\nA previous answer was rejected: ${options.retryReason}\nAnswer again with only the JSON object: no prose before or after it, no Markdown, no code fence.`
    : "";
  return `${roleLine()}

TASK: plan the document (the outline only, not the document).

A production-grade Markdown design document will be written on this system design topic:

TOPIC: ${topic}

Its 12 sections will be written at the same time by different writers, each from your plan alone. The document has exactly these sections, in this order:

${sections}

Answer with one JSON object with these fields, in this order:
${fields.join("\n")}

Keep every string within its limit, short and concrete: the plan is written before any section starts, and each writer reads all of it.${retry}`;
}

/** Sections that present or refer back to the incorrect approaches: their writers get the plan's list of them. */
const USES_APPROACHES: readonly number[] = [2, ...CONTRASTS_WITH_SECTION_2];

/**
 * The plan as one section's writer reads it (compact text, not JSON): what every section shares
 * (title, summary, key terms), what this one covers, the other sections by title only so it does
 * not write them, and the incorrect approaches for the sections that present or contrast with them
 * (unless they get section 2's text).
 */
function renderPlan(outline: Outline, number: number, hasSection2: boolean): string {
  const covers = outline.sections.find((section) => section.number === number)?.covers ?? "";
  const others = SECTIONS.filter((def) => def.number !== number)
    .map((def) => `${def.number}. ${def.title}`)
    .join("; ");
  const lines = [`Title: ${outline.title}`, `Summary: ${outline.summary}`, `Key terms (use them with these meanings): ${outline.keyTerms.join("; ")}`];
  // Section 2's own text, when it is given, names them better than the plan.
  if (USES_APPROACHES.includes(number) && !hasSection2) {
    const approaches = outline.incorrectApproaches.map((approach, index) => `  ${index + 1}. ${approach.name}: ${approach.summary}`).join("\n");
    lines.push(`Incorrect approaches (section 2 presents exactly these as Incorrect Approach #1, #2, …; other sections refer to them by number and name):\n${approaches}`);
  }
  lines.push(`Your section covers: ${covers}`, `The other sections (written by others): ${others}`);
  return lines.join("\n");
}

/** Section 2 as the contrasting sections read it: its prose and headings, without its code (they refer to it, not copy it). */
export function section2ForContrast(text: string): string {
  const lines: string[] = [];
  let inFence = false;
  for (const line of text.split("\n")) {
    if (/^[ \t]*(`{3,}|~{3,})/.test(line)) {
      if (!inFence) lines.push("(code omitted)");
      inFence = !inFence;
      continue;
    }
    if (!inFence) lines.push(line);
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

export interface SectionRequest {
  topic: string;
  outline: Outline;
  number: number;
  part: number;
  parts: number;
  /** Section 2's finished text, for the sections that contrast with it (null: not available, the plan's list is used). */
  section2: string | null;
}

function partInstructions(request: SectionRequest, plan: ImplementationPlan | undefined): string {
  const heading = headingOf(request.number);
  if (request.parts === 1) {
    return `Start with the heading line \`${heading}\` exactly, then write the whole section. Stop at its end: no other section, no closing summary.`;
  }
  const declarations = (plan?.declarations ?? []).map((declaration) => `  - ${declaration}`).join("\n");
  if (request.part === 1) {
    return `This section is written in two parts at once. You write PART 1, the core: ${plan?.core ?? "the types, errors and main implementation"}.
Export exactly these declarations, with these signatures (part 2, written by someone else, uses them as declared):
${declarations}
Start with the heading line \`${heading}\` exactly. Write the core as \`###\` sub-sections with complete \`\`\`ts blocks; stop after the core: part 2 (${plan?.integration ?? "the integration and a usage example"}) follows it.`;
  }
  return `This section is written in two parts at once. You write PART 2, which follows part 1 (the core, written by someone else) directly: ${plan?.integration ?? "the integration and a usage example"}.
Part 1 exports exactly these declarations; use them as declared, without declaring or importing them again (the section's code blocks form one module, in order):
${declarations}
Do NOT write the section heading: start with a \`###\` sub-heading. Stop at the end of the section: no other section, no closing summary.`;
}

/** One section's request (or one part of it): only what that section needs. */
export function sectionRequestPrompt(request: SectionRequest): string {
  const { number, part, parts } = request;
  const seedPart = sectionPrompt(number);
  const marker = parts > 1 ? `SECTION TO WRITE: ${number} (part ${part} of ${parts})` : `SECTION TO WRITE: ${number}`;
  const contrast =
    CONTRASTS_WITH_SECTION_2.includes(number) && request.section2
      ? `\n\nSECTION 2 AS WRITTEN (refer back to its approaches by number and name; do not repeat it):\n\n${section2ForContrast(request.section2)}`
      : "";
  return `${roleLine()}

You are writing ONE section of a production-grade Markdown design document on this system design topic:

TOPIC: ${request.topic}

The other sections are written at the same time by other writers, from the same plan. Write only your section.

${fillMasterPrompt(seedBlock("Global rules (MANDATORY):", "DOCUMENT STRUCTURE"), request.topic)}

${seedBlock("STYLE CONSTRAINTS", "QUALITY BAR")}
${sectionRuleLines()
  .map((line) => `- ${line}`)
  .join("\n")}

THE PLAN OF THE DOCUMENT
${renderPlan(request.outline, number, contrast !== "")}

${marker}

What the master prompt asks of it:
${fillMasterPrompt(seedPart.masterPrompt, request.topic)}

Its contract (it is checked against these lines; meet all of them; write text in backticks as shown, without the backticks):
${sectionContract(number)}${contrast}

${partInstructions(request, request.outline.implementation)}`;
}

/** What a section request is told after the model stopped at its output-token limit. */
export function sectionContinuationInstruction(number: number): string {
  return `Your previous answer was cut off before the end (it is the assistant message above). Continue section ${number} exactly where it stops: the first characters you write must follow its last character directly, even in the middle of a word, a line or a code block. Do not repeat any text, add no preamble, and stop at the end of section ${number}.`;
}
