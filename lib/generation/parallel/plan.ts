import "server-only";
import { HEAD_SECTION, type PartProgress, type ParallelProgress } from "@/lib/documents/section-parts";
import { CONTRASTS_WITH_SECTION_2, SPLIT_SECTION } from "@/lib/prompts/parallel-prompts";
import { SECTIONS } from "@/lib/sections/rubric";

/**
 * Which requests start first when more are ready than SECTION_CONCURRENCY allows. Section 2 first:
 * sections 4, 9 and 10 wait for it (they contrast with it) and get the next free slots. Then the
 * longest sections, so no long one starts last: section 5 (a quarter to a third of a document) and
 * its parts, then sections 7, 3 and 1 (about 8% each in the example library), the short ones last.
 */
const START_ORDER: readonly number[] = [2, SPLIT_SECTION, 4, 9, 7, 3, 1, 10, 6, 8, 12, 11];

function emptyPart(section: number, part: number, parts: number): PartProgress {
  return { section, part, parts, state: "queued", text: "", error: null, continuations: 0, inputTokens: 0, outputTokens: 0 };
}

/** A new generation's parts, in document order: the head, then each section (section 5 in two parts when splitting). */
export function freshProgress(splitImplementation: boolean): ParallelProgress {
  const parts: PartProgress[] = [emptyPart(HEAD_SECTION, 1, 1)];
  for (const def of SECTIONS) {
    const count = splitImplementation && def.number === SPLIT_SECTION ? 2 : 1;
    for (let part = 1; part <= count; part += 1) parts.push(emptyPart(def.number, part, count));
  }
  return { outline: null, parts };
}

/** The sections a section waits for before it starts. */
export function waitsFor(section: number): readonly number[] {
  return CONTRASTS_WITH_SECTION_2.includes(section) ? [2] : [];
}

/** Start priority of a section (lower starts first). */
export function startRank(section: number): number {
  const rank = START_ORDER.indexOf(section);
  return rank < 0 ? START_ORDER.length : rank;
}
