/**
 * Where a section's text is in a document, and its heading's shape. Pure; browser-safe.
 */
import type { SectionResult } from "@/lib/sections/types";

/** [start, end) of a found section: its heading line to the next section's heading (or the end). */
export function sectionRange(markdown: string, section: SectionResult | undefined): { start: number; end: number } | null {
  if (!section || section.start === null) return null;
  const end = section.end === null || section.end < 0 || section.end > markdown.length ? markdown.length : section.end;
  return { start: section.start, end };
}

export function sectionText(markdown: string, sections: readonly SectionResult[], number: number): string | null {
  const range = sectionRange(markdown, sections.find((section) => section.number === number));
  return range ? markdown.slice(range.start, range.end) : null;
}

/** The ATX marks the document's section headings use ("##" by default). */
export function sectionHeadingMarks(markdown: string, sections: readonly SectionResult[]): string {
  for (const section of sections) {
    if (section.start === null) continue;
    const newline = markdown.indexOf("\n", section.start);
    const line = markdown.slice(section.start, newline < 0 ? undefined : newline);
    const marks = /^ {0,3}(#{1,6})[ \t]/.exec(line)?.[1];
    if (marks) return marks;
  }
  return "##";
}
