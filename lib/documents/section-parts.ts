/**
 * The parts of a document written in parallel mode, and how they make one Markdown document.
 * Pure and browser-safe: the server's job, the store, the event stream and the live page share it.
 *
 * A part is what one model request writes: part 0 is the document's head (its H1 and one-line
 * summary, taken from the outline), parts 1–12 the sections; a long section may be written as
 * several parts at once (section 5 as its core and its integration). Every part's text only
 * grows while a generation runs, and the document is the parts' texts in order.
 */

/** The section number of the head (the title and summary, written from the outline). */
export const HEAD_SECTION = 0;

export const PART_STATES = ["queued", "writing", "complete", "failed", "cancelled"] as const;
export type PartState = (typeof PART_STATES)[number];

export interface PartKey {
  /** 0: the head; 1–12: a section. */
  section: number;
  /** 1-based, among the `parts` of its section. */
  part: number;
}

export interface IncorrectApproachPlan {
  name: string;
  /** One line: what it does and how it breaks. */
  summary: string;
}

/** The plan of section 5 when it is written as two parts at once. */
export interface ImplementationPlan {
  /** What the first part (the core module) writes. */
  core: string;
  /** What the second part (integration and usage) writes. */
  integration: string;
  /** What the core declares, with signatures: the second part uses exactly these. */
  declarations: string[];
}

/** The outline: one short request plans the document before its sections are written. */
export interface Outline {
  title: string;
  summary: string;
  /** Section 2 presents exactly these; sections 4, 9 and 10 refer back to them. */
  incorrectApproaches: IncorrectApproachPlan[];
  keyTerms: string[];
  /** For each of the 12 sections, in order, what it will cover. */
  sections: { number: number; covers: string }[];
  implementation?: ImplementationPlan;
}

export interface PartProgress extends PartKey {
  /** How many parts its section is written in. */
  parts: number;
  state: PartState;
  text: string;
  error: string | null;
  /** Automatic continuations after the output-token limit. */
  continuations: number;
  inputTokens: number;
  outputTokens: number;
}

/** What a parallel generation stores beside the document text, so it can be followed, continued and retried. */
export interface ParallelProgress {
  outline: Outline | null;
  /** In document order: the head, then the sections and their parts. */
  parts: PartProgress[];
}

export function partLabel({ section, part }: PartKey, parts = 1): string {
  if (section === HEAD_SECTION) return "the title and summary";
  return parts > 1 ? `section ${section} (part ${part} of ${parts})` : `section ${section}`;
}

export function samePart(a: PartKey, b: PartKey): boolean {
  return a.section === b.section && a.part === b.part;
}

/**
 * The text a finished part keeps: it ends with a blank line, so the next part starts a new block
 * (the last part of the document ends with one newline).
 */
export function finishedPartText(text: string, last: boolean): string {
  if (last) return text.endsWith("\n") ? text : `${text}\n`;
  if (text.endsWith("\n\n")) return text;
  return text.endsWith("\n") ? `${text}\n` : `${text}\n\n`;
}

/** Texts joined as Markdown blocks: a separator only where a text does not already end with a blank line. */
function joinTexts(texts: readonly string[]): string {
  let joined = "";
  for (const text of texts) {
    if (!text) continue;
    if (joined && !joined.endsWith("\n\n")) joined += joined.endsWith("\n") ? "\n" : "\n\n";
    joined += text;
  }
  return joined;
}

/**
 * The document as readers that know only `text` see it: while it is written, the complete parts
 * in order and the text of the first part that is not complete (nothing after it); once the
 * generation has ended (`final`), every part in order, unfinished ones included. Within one
 * generation each result extends the previous one, so it can be streamed append-only.
 */
export function documentText(parts: readonly PartProgress[], final: boolean): string {
  if (final) return joinTexts(parts.map((part) => part.text));
  const texts: string[] = [];
  for (const part of parts) {
    texts.push(part.text);
    if (part.state !== "complete") break;
  }
  return joinTexts(texts);
}

/** The parts of one section, in order. */
export function sectionParts<T extends PartKey>(parts: readonly T[], section: number): T[] {
  return parts.filter((part) => part.section === section);
}

/** A part's error quotes the provider (untrusted, it may quote a key): redacted wherever it is stored or shown. */
export function redactParallelProgress(progress: ParallelProgress, redact: (text: string) => string): ParallelProgress {
  return { ...progress, parts: progress.parts.map((part) => (part.error === null ? part : { ...part, error: redact(part.error) })) };
}
