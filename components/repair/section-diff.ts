/**
 * A section-level diff between two versions of a document: for each of the 12 sections, whether
 * it is unchanged, changed, added or removed, and for a changed one its lines added and removed
 * (jsdiff). Framework-free and pure.
 */
import { diffLines } from "diff";
import { sectionText } from "@/lib/repair/section-text";
import { analyzeSections } from "@/lib/sections/analyzer";
import { SECTIONS } from "@/lib/sections/rubric";

export type SectionChange = "unchanged" | "changed" | "added" | "removed";

export interface DiffLine {
  kind: "added" | "removed" | "same";
  text: string;
}

export interface SectionDiff {
  number: number;
  title: string;
  change: SectionChange;
  /** The changed lines with a little context (only for `changed`, `added`, `removed`). */
  lines: DiffLine[];
  added: number;
  removed: number;
}

const CONTEXT = 2;

function toLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Lines of a change, with CONTEXT unchanged lines around each hunk and "…" between hunks. */
function hunks(before: string, after: string): { lines: DiffLine[]; added: number; removed: number } {
  const all: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    const kind = part.added ? "added" : part.removed ? "removed" : "same";
    for (const text of toLines(part.value)) all.push({ kind, text });
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  const keep = all.map((line, index) => line.kind !== "same" || all.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some((near) => near.kind !== "same"));
  const lines: DiffLine[] = [];
  keep.forEach((kept, index) => {
    const line = all[index];
    if (!line) return;
    if (kept) lines.push(line);
    else if (index > 0 && keep[index - 1]) lines.push({ kind: "same", text: "…" });
  });
  return { lines, added, removed };
}

export function sectionDiff(previous: string, current: string): SectionDiff[] {
  const before = analyzeSections(previous, { final: true }).sections;
  const after = analyzeSections(current, { final: true }).sections;
  return SECTIONS.map((def) => {
    const old = sectionText(previous, before, def.number);
    const now = sectionText(current, after, def.number);
    const change: SectionChange = old === null ? (now === null ? "unchanged" : "added") : now === null ? "removed" : old === now ? "unchanged" : "changed";
    if (change === "unchanged") return { number: def.number, title: def.title, change, lines: [], added: 0, removed: 0 };
    return { number: def.number, title: def.title, change, ...hunks(old ?? "", now ?? "") };
  });
}
