/**
 * The document's outline for a repair request: its title and the 12 section headings (or
 * "missing"), with the `###` sub-headings of section 2 — the incorrect approaches other sections
 * refer to by name (section 4 contrasts with each) — so a rewritten section fits the others
 * without the request carrying their text. Other sub-headings are left out: they cost a third of
 * a small request and no section's items depend on them. Pure.
 */
import { parseFenceOpener, isFenceCloser, type FenceOpener } from "@/lib/markdown/line-syntax";
import { SECTIONS } from "@/lib/sections/rubric";
import type { SectionReport } from "@/lib/sections/types";
import { sectionRange } from "./section-text";

const MAX_SUBHEADINGS = 12;
/** The sections whose sub-headings other sections name. */
const REFERENCED = new Set([2]);

function headingLines(text: string, maxLevel: number): string[] {
  const lines: string[] = [];
  let fence: FenceOpener | null = null;
  for (const line of text.split("\n")) {
    if (fence) {
      if (isFenceCloser(line, fence)) fence = null;
      continue;
    }
    fence = parseFenceOpener(line);
    if (fence) continue;
    const match = /^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$/.exec(line);
    if (match?.[1] && match[2] && match[1].length <= maxLevel) lines.push(`${match[1]} ${match[2]}`);
  }
  return lines;
}

export function documentOutline(markdown: string, report: SectionReport): string {
  const title = headingLines(markdown, 1)[0] ?? "# (no title)";
  const out = [title];
  for (const def of SECTIONS) {
    const section = report.sections.find((candidate) => candidate.number === def.number);
    const range = sectionRange(markdown, section);
    if (!range) {
      out.push(`## ${def.number}. ${def.title} — MISSING`);
      continue;
    }
    const [heading, ...subheadings] = headingLines(markdown.slice(range.start, range.end), 3);
    out.push(heading ?? `## ${def.number}. ${def.title}`);
    if (!REFERENCED.has(def.number)) continue;
    for (const sub of subheadings.slice(0, MAX_SUBHEADINGS)) if (sub.startsWith("###")) out.push(`  ${sub}`);
    if (subheadings.length > MAX_SUBHEADINGS) out.push(`  … ${subheadings.length - MAX_SUBHEADINGS} more`);
  }
  return out.join("\n");
}
