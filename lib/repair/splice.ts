/**
 * Puts a section's replacement into a document: in place of the section, or, for a missing
 * section, at its place (before the first section with a higher number, else at the end).
 * Everything else stays byte for byte. Pure; browser-safe (the page shows a section being
 * rewritten in place with it).
 */
import type { SectionResult } from "@/lib/sections/types";
import { sectionRange } from "./section-text";

export function spliceSection(markdown: string, sections: readonly SectionResult[], number: number, replacement: string): string {
  const body = replacement.replace(/^\s*\n/, "").trimEnd();
  const range = sectionRange(markdown, sections.find((section) => section.number === number));
  if (range) {
    const after = markdown.slice(range.end);
    return `${markdown.slice(0, range.start)}${body}${after ? "\n\n" : "\n"}${after}`;
  }
  const next = sections
    .filter((section) => section.number > number && section.start !== null)
    .sort((a, b) => (a.start ?? 0) - (b.start ?? 0))[0];
  if (next?.start != null) return `${markdown.slice(0, next.start)}${body}\n\n${markdown.slice(next.start)}`;
  const before = markdown.trimEnd();
  return `${before}${before ? "\n\n" : ""}${body}\n`;
}

/**
 * Several sections replaced at once against the same document (the page showing every section
 * being rewritten): applied from the last position to the first, so each splice leaves the
 * positions of the ones before it valid.
 */
export function spliceSections(markdown: string, sections: readonly SectionResult[], replacements: ReadonlyMap<number, string>): string {
  const at = (number: number) => {
    const own = sections.find((section) => section.number === number);
    if (own?.start != null) return own.start;
    const next = sections.filter((section) => section.number > number && section.start !== null).sort((a, b) => (a.start ?? 0) - (b.start ?? 0))[0];
    return next?.start ?? markdown.length;
  };
  let text = markdown;
  for (const [number, replacement] of [...replacements].sort(([a], [b]) => at(b) - at(a) || b - a)) {
    text = spliceSection(text, sections, number, replacement);
  }
  return text;
}
