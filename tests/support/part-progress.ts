import type { PartProgress } from "@/lib/documents/section-parts";

/** One part of a parallel document for unit tests: part 1 of 1, no error, no tokens; `overrides` set the rest. */
export function partProgress(section: number, state: PartProgress["state"], text: string, overrides: Partial<PartProgress> = {}): PartProgress {
  return { section, part: 1, parts: 1, state, text, error: null, continuations: 0, inputTokens: 0, outputTokens: 0, ...overrides };
}
