/**
 * Demo mode shows the repair without a key: these library topics stream a deficient draft as
 * their first pass (what real models miss most), and their repair requests are answered with the
 * real sections, so the sidebar goes incomplete → repairing → satisfied live.
 */
import { DAMAGES, deficientDraft } from "./deficient-drafts";
import type { LibraryExample } from "./library";

export const DEMO_DRAFT_DAMAGES: Readonly<Record<string, readonly string[]>> = {
  "request-deduplication": ["s4-control-flow-contrast", "s7-deadlocks-timeouts", "s10-use-instead"],
};

/** What the demo model writes as the first pass of an example. */
export function demoFirstPass(example: LibraryExample): string {
  const ids = DEMO_DRAFT_DAMAGES[example.slug];
  if (!ids) return example.markdown;
  return deficientDraft(example.markdown, DAMAGES.filter((damage) => ids.includes(damage.id)));
}
