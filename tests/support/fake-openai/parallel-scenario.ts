/**
 * Parallel mode's requests, answered by the fake server from its fixture document, the way a
 * model following the app's prompts would answer them:
 *
 * - an outline request (a user message with `TASK: plan the document`) gets a JSON outline made
 *   from the document: its H1 and introduction, section 2's incorrect approaches, `###` headings
 *   as key terms and as what each section covers, and (when the prompt asks for "implementation")
 *   the plan of section 5's two parts;
 * - a section request (`SECTION TO WRITE: <n>`, or `… (part <p> of <parts>)`) gets that section of
 *   the document, exactly, or its part: a long section is cut at the `###` heading nearest to its
 *   middle, so the parts put together are the section again.
 *
 * Streamed at the scenario's rate like any answer, these make the app's parallel document equal
 * to the fixture, and `npm run bench:generation` compare the modes on the same text. Scenario
 * fields of their own (validated here, merged into the server's scenario):
 * `outlineFormat` (how the outline comes back), `faultTarget` (which request the injected
 * faults hit), `refuseResponseFormat` (answer 400 to a JSON-schema response format).
 */
import type { ChatMessage } from "./server";

export const OUTLINE_FORMATS = ["json", "fenced", "prose", "invalid-once"] as const;
export type OutlineFormat = (typeof OUTLINE_FORMATS)[number];

export interface ParallelScenarioFields {
  /**
   * json: the JSON object alone (a server that enforces the schema); fenced: inside a ```json
   * fence after a line of prose (one that ignores it); prose: never JSON; invalid-once: prose for
   * the first outline request, then json.
   */
  outlineFormat: OutlineFormat;
  /**
   * Which requests the scenario's faults (failBeforeStream, resetAtChar, stallAtChar, lengthAtChar)
   * apply to: a planned request's key ("outline", "7", "5.2"), "single" for other requests, or
   * null for all. With parallel requests, this picks the one that fails.
   */
  faultTarget: string | null;
  /** Answer 400 to a request with a JSON-schema response format, as servers without structured outputs do. */
  refuseResponseFormat: boolean;
}

export const PARALLEL_SCENARIO_DEFAULTS: Readonly<ParallelScenarioFields> = Object.freeze({
  outlineFormat: "json",
  faultTarget: null,
  refuseResponseFormat: false,
});

/** Validates one of this module's scenario fields; null when the key is not one of them. */
export function validateParallelField(key: string, value: unknown): Partial<ParallelScenarioFields> | null {
  switch (key) {
    case "outlineFormat":
      if (!(OUTLINE_FORMATS as readonly unknown[]).includes(value)) throw new Error(`outlineFormat must be one of ${OUTLINE_FORMATS.join(", ")}`);
      return { outlineFormat: value as OutlineFormat };
    case "faultTarget":
      if (value !== null && (typeof value !== "string" || !/^(outline|single|\d{1,2}(\.\d)?)$/.test(value))) {
        throw new Error('faultTarget must be null, "outline", "single", a section number or "<section>.<part>"');
      }
      return { faultTarget: value as string | null };
    case "refuseResponseFormat":
      if (typeof value !== "boolean") throw new Error("refuseResponseFormat must be a boolean");
      return { refuseResponseFormat: value };
    default:
      return null;
  }
}

export type PlannedRequest = { kind: "outline"; implementation: boolean } | { kind: "section"; section: number; part: number; parts: number };

function text(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}

/** What a request asks for, read from its first user message (continuations repeat it). */
export function plannedRequest(messages: ChatMessage[]): PlannedRequest | null {
  const prompt = text(messages.find((message) => message.role === "user"));
  if (/^TASK: plan the document/m.test(prompt)) return { kind: "outline", implementation: prompt.includes('"implementation"') };
  const section = /^SECTION TO WRITE: (\d{1,2})(?: \(part (\d) of (\d)\))?$/m.exec(prompt);
  if (!section) return null;
  return { kind: "section", section: Number(section[1]), part: Number(section[2] ?? 1), parts: Number(section[3] ?? 1) };
}

/** The key faultTarget names a request by. */
export function requestKey(request: PlannedRequest | null): string {
  if (!request) return "single";
  if (request.kind === "outline") return "outline";
  return request.parts > 1 ? `${request.section}.${request.part}` : String(request.section);
}

export function faultApplies(target: string | null, key: string): boolean {
  return target === null || target === key || (target === String(Number.parseInt(key, 10)) && key.includes("."));
}

interface SplitDocument {
  head: string;
  /** Section number → its text, heading included, up to the next section's heading. */
  sections: Map<number, string>;
}

function splitDocument(document: string): SplitDocument {
  const starts = [...document.matchAll(/^## (\d{1,2})\. /gm)].map((match) => ({ number: Number(match[1]), index: match.index }));
  const sections = new Map<number, string>();
  starts.forEach((start, position) => sections.set(start.number, document.slice(start.index, starts[position + 1]?.index ?? document.length)));
  return { head: document.slice(0, starts[0]?.index ?? document.length), sections };
}

/** Where a section is cut into its parts: at `###` headings outside code (else any block), nearest to equal shares. */
function partBoundaries(section: string, parts: number): number[] {
  const headings: number[] = [];
  const blocks: number[] = [];
  let inFence = false;
  let offset = 0;
  for (const line of section.split("\n")) {
    if (/^[ \t]*(`{3,}|~{3,})/.test(line) && inFence) inFence = false;
    else if (offset > 0 && !inFence && line.trim() && section.slice(0, offset).endsWith("\n\n")) {
      blocks.push(offset);
      if (line.startsWith("### ")) headings.push(offset);
      if (/^[ \t]*(`{3,}|~{3,})/.test(line)) inFence = true;
    } else if (/^[ \t]*(`{3,}|~{3,})/.test(line)) inFence = true;
    offset += line.length + 1;
  }
  const candidates = headings.length >= parts - 1 ? headings : blocks;
  const cuts: number[] = [];
  for (let part = 1; part < parts; part += 1) {
    const target = (section.length * part) / parts;
    const best = candidates.filter((cut) => cut > (cuts.at(-1) ?? 0)).sort((a, b) => Math.abs(a - target) - Math.abs(b - target))[0];
    if (best !== undefined) cuts.push(best);
  }
  return cuts;
}

export function sectionPart(document: string, section: number, part: number, parts: number): string {
  const text = splitDocument(document).sections.get(section) ?? `## ${section}. Section ${section}\n\nThe fixture has no section ${section}.\n\n`;
  if (parts <= 1) return text;
  const cuts = [0, ...partBoundaries(text, parts), text.length];
  return text.slice(cuts[part - 1] ?? text.length, cuts[part] ?? text.length);
}

const firstSentence = (paragraph: string) => (/^(.*?[.!?])(\s|$)/s.exec(paragraph.trim())?.[1] ?? paragraph.trim()).replace(/\s+/g, " ").slice(0, 300);
const subHeadings = (section: string) =>
  [...section.matchAll(/^### (.+)$/gm)].map((match) => (match[1] ?? "").replace(/^[❌✅✗✓]\s*/u, "").replace(/\*\*/g, "").trim());
const words = (text: string, count: number) => text.split(/\s+/).slice(0, count).join(" ");

/** The outline a model would plan for this document. */
export function outlineOf(document: string, implementation: boolean): Record<string, unknown> {
  const { head, sections } = splitDocument(document);
  const title = /^# (.+)$/m.exec(head)?.[1]?.trim() ?? "Design Document";
  const summary = head.replace(/^# .+$/m, "").trim() || `A design document about ${title}.`;
  const section2 = sections.get(2) ?? "";
  const approaches = [...section2.matchAll(/^#{0,3}\s*[❌✗]?\s*Incorrect Approach #\d+:?\s*(.+)$/gmu)].map((match) => {
    const name = (match[1] ?? "").replace(/\*\*/g, "").trim();
    const after = section2.slice((match.index ?? 0) + match[0].length);
    const breaks = /\*\*How it breaks:\*\*\s*(.+)/.exec(after)?.[1] ?? after.replace(/```[\s\S]*?```/g, "").trim();
    return { name: words(name, 6), summary: words(firstSentence(breaks), 15) };
  });
  while (approaches.length < 2) approaches.push({ name: `Naive approach #${approaches.length + 1}`, summary: "Looks simple and fails under concurrent load." });
  const keyTerms = [...new Set([3, 4, 5].flatMap((number) => subHeadings(sections.get(number) ?? "")))].slice(0, 6).map((term) => `${words(term, 4)}: the part section 3 describes`);
  const outline: Record<string, unknown> = {
    title,
    summary,
    incorrectApproaches: approaches.slice(0, 3),
    keyTerms: keyTerms.length > 0 ? keyTerms : [`${title}: the mechanism this document designs`],
    sections: Array.from({ length: 12 }, (_, index) => {
      const text = sections.get(index + 1) ?? "";
      const headings = subHeadings(text);
      const body = text.replace(/^## .*$/m, "").replace(/```[\s\S]*?```/g, "").trim();
      return { number: index + 1, covers: words(headings.length > 0 ? headings.join("; ") : firstSentence(body) || `section ${index + 1}`, 15) };
    }),
  };
  if (implementation) {
    const core = sectionPart(document, 5, 1, 2);
    const integration = sectionPart(document, 5, 2, 2);
    const declarations = [...core.matchAll(/^export (.+)$/gm)].map((match) => words((match[1] ?? "").replace(/\s*\{\s*$/, ""), 16)).slice(0, 8);
    outline.implementation = {
      core: words(subHeadings(core).join("; ") || "the core module", 15),
      integration: words(subHeadings(integration).join("; ") || "the integration and a usage example", 15),
      declarations: declarations.length > 0 ? declarations : ["function run(signal: AbortSignal): Promise<void>"],
    };
  }
  return outline;
}

/** The text a planned request is answered with (continuations are answered with its rest by the server). */
export function plannedAnswer(document: string, request: PlannedRequest, fields: ParallelScenarioFields): { text: string; consumeInvalidOnce: boolean } {
  if (request.kind === "section") return { text: sectionPart(document, request.section, request.part, request.parts), consumeInvalidOnce: false };
  const json = JSON.stringify(outlineOf(document, request.implementation));
  switch (fields.outlineFormat) {
    case "json":
      return { text: json, consumeInvalidOnce: false };
    case "fenced":
      return { text: `Here is the plan:\n\n\`\`\`json\n${json}\n\`\`\`\n`, consumeInvalidOnce: false };
    case "prose":
    case "invalid-once":
      return {
        text: "Here is a plan. The document will open with the real problem, then show the incorrect approaches, and go on section by section.",
        consumeInvalidOnce: fields.outlineFormat === "invalid-once",
      };
  }
}
