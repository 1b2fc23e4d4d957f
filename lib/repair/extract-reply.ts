/**
 * A model's reply to a repair request is untrusted: this turns it into the replacement of one
 * section or refuses it. Anything before the section's heading (a preamble, an H1, a wrapping
 * ```markdown fence) is dropped, and so are trailing rules and a wrapper's closing fence; a reply
 * that contains another section's heading is refused (it would rewrite more than it was asked);
 * the heading is written the way the document writes its section headings. Pure; browser-safe
 * (the page applies the same cut to the text as it streams).
 */
import { analyzeSections } from "@/lib/sections/analyzer";
import { SECTIONS } from "@/lib/sections/rubric";

export type ExtractedReply = { ok: true; text: string } | { ok: false; reason: string };

const WRAPPER_OPEN = /^\s*(`{3,}|~{3,})[ \t]*(markdown|md)?[ \t]*\n/i;
const TRAILING_RULES = /(?:\n[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*)+\s*$/;
const NUMBER_PREFIX = /^(?:section|part)?\s*\d{1,2}\s*(?:[.):：]|[—–-]{1,2})?\s*/i;

/** Removes a fence wrapping the whole reply (models like to answer Markdown inside ```markdown). */
function unwrap(reply: string): string {
  const open = WRAPPER_OPEN.exec(reply);
  if (!open?.[1]) return reply;
  const inner = reply.slice(open[0].length);
  const close = new RegExp(`\\n[ \\t]*${open[1][0] === "`" ? "`" : "~"}{${open[1].length},}[ \\t]*\\s*$`);
  return close.test(`\n${inner}`) ? `\n${inner}`.replace(close, "").slice(1) : inner;
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
  const text = unwrap(reply.replace(/\r\n?/g, "\n"));
  const report = analyzeSections(text, { final: !options.partial });
  const own = report.sections.find((section) => section.number === number && section.start !== null);
  if (!own || own.start === null) {
    return { ok: false, reason: `The reply has no heading for section ${number} (${def.title}).` };
  }
  const others = report.sections.filter((section) => section.number !== number && section.start !== null).map((section) => section.number);
  if (others.length > 0) {
    return { ok: false, reason: `The reply also writes section ${others.join(", ")}; only section ${number} was asked for.` };
  }
  const body = text.slice(own.start);
  const newline = body.indexOf("\n");
  const rest = newline < 0 ? "" : body.slice(newline + 1);
  const title = (own.heading ?? "").replace(NUMBER_PREFIX, "").trim() || def.title;
  const cleaned = rest.replace(TRAILING_RULES, "").trimEnd();
  if (!options.partial && cleaned.trim() === "") return { ok: false, reason: `The reply is only the heading of section ${number}.` };
  return { ok: true, text: `${options.headingMarks} ${number}. ${title}\n${cleaned}` };
}
