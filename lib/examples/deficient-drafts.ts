/**
 * Deficient drafts: library documents with what real models miss most taken out, one commonly
 * missed item at a time (issue #9: out of 29 real outputs of the master prompt, section 4's
 * control flow and contrast, section 6's request/response flow, section 7's timeout mismatches
 * and deadlocks, section 10's "what to use instead and why", section 1's why naive solutions fail,
 * section 3's ordered steps, section 5's cancellation, section 8's p50 vs p99; and a section left
 * out). The demo streams one as its first pass and repairs it live from the real document; the
 * tests and `npm run bench:compliance` repair them against the fake model. Pure: no Node imports.
 */
import { parseFenceOpener, isFenceCloser, type FenceOpener } from "@/lib/markdown/line-syntax";
import { analyzeSections } from "@/lib/sections/analyzer";

/** What a damage takes out of one section's text. */
type Edit = (section: string) => string;

export interface Damage {
  id: string;
  section: number;
  /** The required items it leaves unmet (tests check exactly these). */
  items: readonly string[];
  /** What a reader would notice. */
  description: string;
  edit: Edit | "remove";
}

interface Block {
  text: string;
  code: boolean;
}

/** A section's text as blocks separated by blank lines; a fenced block (blank lines and all) is one. */
function blocks(section: string): Block[] {
  const out: Block[] = [];
  let current: string[] = [];
  let fence: FenceOpener | null = null;
  const flush = (code: boolean) => {
    if (current.length) out.push({ text: current.join("\n"), code });
    current = [];
  };
  for (const line of section.split("\n")) {
    if (fence) {
      current.push(line);
      if (isFenceCloser(line, fence)) {
        fence = null;
        flush(true);
      }
      continue;
    }
    const opener = parseFenceOpener(line);
    if (opener) {
      flush(false);
      fence = opener;
      current.push(line);
      continue;
    }
    if (line.trim() === "") flush(false);
    else current.push(line);
  }
  flush(fence !== null);
  return out;
}

const join = (parts: Block[]) => `${parts.map((block) => block.text).join("\n\n")}\n\n`;

/** Drops the prose blocks (paragraphs, lists, tables) that match. */
const dropProse = (pattern: RegExp): Edit => (section) => {
  const [heading, ...rest] = blocks(section);
  return join([heading as Block, ...rest.filter((block) => block.code || !pattern.test(block.text))]);
};

/** Drops the prose lines that match (a list item, a table row, a labelled line). */
const dropLines = (pattern: RegExp): Edit => (section) => {
  const [heading, ...rest] = blocks(section);
  const kept = rest
    .map((block) => (block.code ? block : { ...block, text: block.text.split("\n").filter((line) => !pattern.test(line)).join("\n") }))
    .filter((block) => block.text.trim() !== "");
  return join([heading as Block, ...kept]);
};

/** Drops the code blocks (fenced) that match. */
const dropCode = (pattern: RegExp): Edit => (section) => {
  const [heading, ...rest] = blocks(section);
  return join([heading as Block, ...rest.filter((block) => !block.code || !pattern.test(block.text))]);
};

/** Drops the lines of code (inside fences) that match. */
const dropCodeLines = (pattern: RegExp): Edit => (section) => {
  const [heading, ...rest] = blocks(section);
  const strip = (block: Block): Block => {
    const lines = block.text.split("\n");
    const inner = lines.slice(1, -1).filter((line) => !pattern.test(line));
    return { ...block, text: [lines[0], ...inner, lines.at(-1)].join("\n") };
  };
  return join([heading as Block, ...rest.map((block) => (block.code ? strip(block) : block))]);
};

/** Drops each `###` part (its heading and everything up to the next one) whose heading matches. */
const dropSubsections = (pattern: RegExp): Edit => (section) => {
  const kept: Block[] = [];
  let dropping = false;
  const [heading, ...rest] = blocks(section);
  for (const block of rest) {
    if (!block.code && /^#{3,6}\s/.test(block.text)) dropping = pattern.test(block.text.split("\n")[0] ?? "");
    if (!dropping) kept.push(block);
  }
  return join([heading as Block, ...kept]);
};

/** Numbered lists become bullets: the steps lose their order. */
const unnumber: Edit = (section) => {
  const [heading, ...rest] = blocks(section);
  return join([heading as Block, ...rest.map((block) => (block.code ? block : { ...block, text: block.text.replace(/^(\s*)\d{1,3}[.)][ \t]+/gm, "$1- ") }))]);
};

const both = (...edits: Edit[]): Edit => (section) => edits.reduce((text, edit) => edit(text), section);

export const DAMAGES: readonly Damage[] = [
  {
    id: "s1-naive-fails",
    section: 1,
    items: ["naive-fails"],
    description: "Section 1 never says why the naive fix fails.",
    edit: dropProse(/naive|obvious (?:fix|solution|answer|approach)|first instinct|simple (?:fix|solution)|textbook|quick fix/i),
  },
  {
    id: "s3-ordered-steps",
    section: 3,
    items: ["ordered-steps"],
    description: "Section 3 gives the mechanics as loose bullets, not ordered steps.",
    edit: unnumber,
  },
  {
    id: "s4-control-flow-contrast",
    section: 4,
    items: ["control-flow", "contrast-incorrect"],
    description: "Section 4 has no ordered control flow and no contrast with section 2.",
    edit: both(unnumber, dropProse(/incorrect approach|approach #?\s*\d|section 2|naive|wrong approach|the incorrect|\b(?:first|then|next|finally|otherwise|afterwards|step \d)\b/i)),
  },
  {
    id: "s5-cancellation",
    section: 5,
    items: ["cancellation"],
    description: "Section 5's code cannot be cancelled (no AbortSignal).",
    edit: both(dropCodeLines(/abortsignal|abortcontroller|\bsignal\b|\.abort\(|cancel/i), dropProse(/cancel|abort/i)),
  },
  {
    id: "s6-request-flow",
    section: 6,
    items: ["request-flow"],
    description: "Section 6 names its scenarios but never walks a request through them.",
    edit: both(dropLines(/^\s*\d{1,3}[.)]\s|→|->|⇒|=>/), dropCode(/./)),
  },
  {
    id: "s7-deadlocks-timeouts",
    section: 7,
    items: ["deadlocks", "timeout-mismatches"],
    description: "Section 7 leaves out deadlocks and timeout mismatches.",
    edit: both(dropSubsections(/deadlock|livelock|time ?outs?|deadline/i), dropLines(/deadlock|livelock|mismatch|inversion/i)),
  },
  {
    id: "s8-p50-p99",
    section: 8,
    items: ["p50-p99"],
    description: "Section 8 never compares p50 with p99.",
    edit: dropLines(/\bp50\b|\bmedian\b|\bp99|\bp999|tail latency/i),
  },
  {
    id: "s10-use-instead",
    section: 10,
    items: ["use-instead", "instead-why"],
    description: "Section 10 says when not to use it, but not what to use instead, or why.",
    edit: dropLines(/\binstead\b|\balternatives?:|\bprefer\b|\breach for\b|\bbetter (?:fit|choice|option|tool)\b/i),
  },
  {
    id: "s11-missing",
    section: 11,
    items: ["concept-count", "concept-contrast"],
    description: "Section 11 is missing.",
    edit: "remove",
  },
];

export function findDamage(id: string): Damage {
  const damage = DAMAGES.find((candidate) => candidate.id === id);
  if (!damage) throw new Error(`No damage "${id}" (known: ${DAMAGES.map((candidate) => candidate.id).join(", ")}).`);
  return damage;
}

/** `markdown` with the damages applied, each to its section; everything else byte for byte. */
export function deficientDraft(markdown: string, damages: readonly Damage[]): string {
  let text = markdown;
  for (const damage of [...damages].sort((a, b) => b.section - a.section)) {
    const section = analyzeSections(text, { final: true }).sections.find((candidate) => candidate.number === damage.section);
    if (!section || section.start === null) throw new Error(`The document has no section ${damage.section} to damage.`);
    const end = section.end === null || section.end < 0 ? text.length : section.end;
    const original = text.slice(section.start, end);
    const atEnd = end >= text.length;
    const damaged = damage.edit === "remove" ? "" : damage.edit(original);
    text = text.slice(0, section.start) + (atEnd ? damaged.replace(/\n+$/, "\n") : damaged) + text.slice(end);
  }
  return text;
}
