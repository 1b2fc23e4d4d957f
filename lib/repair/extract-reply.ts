/**
 * A model's reply to a repair request is untrusted: this turns it into the replacement of one
 * section or refuses it. Anything before the section's heading (a preamble, an H1, a wrapping
 * ```markdown fence) is dropped, and so are trailing rules and a wrapper's closing fence; a reply
 * that contains another section's heading is refused (it would rewrite more than it was asked);
 * the heading is written the way the document writes its section headings. Pure; browser-safe
 * (the page applies the same cut to the text as it streams).
 */
import { isFenceCloser, parseFenceOpener, type FenceOpener } from "@/lib/markdown/line-syntax";
import { analyzeSections } from "@/lib/sections/analyzer";
import { SECTIONS } from "@/lib/sections/rubric";

export type ExtractedReply = { ok: true; text: string } | { ok: false; reason: string };

const TRAILING_RULES = /(?:\n[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*)+\s*$/;
const NUMBER_PREFIX = /^(?:section|part)?\s*\d{1,2}\s*(?:[.):：]|[—–-]{1,2})?\s*/i;

const WRAPPER_OPEN = /^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:markdown|md)?[ \t]*\n/im;
const HEADING_LINE = /^ {0,3}#{1,6}[ \t]/m;

/** Models like to answer Markdown inside ```markdown (after a preamble or not): the text after that line. */
function stripWrapperOpen(text: string): { text: string; wrapped: boolean } {
  const open = WRAPPER_OPEN.exec(text);
  const heading = HEADING_LINE.exec(text);
  if (!open || (heading && heading.index < open.index)) return { text, wrapped: false };
  return { text: text.slice(open.index + open[0].length), wrapped: true };
}

/**
 * After "Here is the section:\n```markdown\n## 4. …" the section ends at the wrapper's closing
 * fence: the last bare fence line outside the section's own code blocks. Everything after it
 * (a sign-off) is dropped.
 */
function cutAtWrapperEnd(body: string): string {
  const lines = body.split("\n");
  let fence: FenceOpener | null = null;
  let cut = -1;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (fence) {
      if (isFenceCloser(line, fence)) fence = null;
      continue;
    }
    if (/^[ \t]*(?:`{3,}|~{3,})[ \t]*$/.test(line)) cut = index;
    fence = parseFenceOpener(line);
  }
  return cut < 0 ? body : lines.slice(0, cut).join("\n");
}

export interface ExtractOptions {
  /** The ATX marks of the document's section headings ("##"). */
  headingMarks: string;
  /**
   * The reply is still streaming: a reply without its heading yet is shown as nothing, and no
   * refusal is final.
   */
  partial?: boolean;
}

export function extractSectionReply(reply: string, number: number, options: ExtractOptions): ExtractedReply {
  const def = SECTIONS[number - 1];
  if (!def) return { ok: false, reason: `There is no section ${number}.` };
  const { text, wrapped } = stripWrapperOpen(reply.replace(/\r\n?/g, "\n"));
  const report = analyzeSections(text, { final: !options.partial });
  const own = report.sections.find((section) => section.number === number && section.start !== null);
  if (!own || own.start === null) {
    return { ok: false, reason: `The reply has no heading for section ${number} (${def.title}).` };
  }
  const others = report.sections.filter((section) => section.number !== number && section.start !== null).map((section) => section.number);
  if (others.length > 0) {
    return { ok: false, reason: `The reply also writes section ${others.join(", ")}; only section ${number} was asked for.` };
  }
  const body = wrapped ? cutAtWrapperEnd(text.slice(own.start)) : text.slice(own.start);
  const newline = body.indexOf("\n");
  const rest = newline < 0 ? "" : body.slice(newline + 1);
  const title = (own.heading ?? "").replace(NUMBER_PREFIX, "").trim() || def.title;
  const cleaned = rest.replace(TRAILING_RULES, "").trimEnd();
  if (!options.partial && cleaned.trim() === "") return { ok: false, reason: `The reply is only the heading of section ${number}.` };
  return { ok: true, text: `${options.headingMarks} ${number}. ${title}\n${cleaned}` };
}
