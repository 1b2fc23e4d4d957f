import type { SectionReport } from "@/lib/sections/analyzer";

/**
 * What the screen-reader live region says when the report moves on: a section that has just
 * become satisfied, and the document's outcome when the report turns final. Nothing else: the
 * text itself streams many times a second and must not be read out as it grows.
 */
export function sectionAnnouncements(previous: SectionReport | null, next: SectionReport): string[] {
  if (!previous) return [];
  const messages: string[] = [];
  for (const section of next.sections) {
    const before = previous.sections.find((candidate) => candidate.number === section.number);
    if (section.state === "satisfied" && before && before.state !== "satisfied") {
      messages.push(`Section ${section.number}, ${section.title}: satisfied.`);
    }
  }
  if (next.final && !previous.final) {
    messages.push(`Document finished: ${next.satisfied} of ${next.total} sections satisfied.`);
  }
  return messages;
}
