import "server-only";
import type { SectionEvent } from "@/lib/events/document-events";
import type { RepairDraft, RepairRecord } from "@/lib/repair/record";

/**
 * Resuming a repair nobody runs any more on another instance. Its replacement texts exist twice:
 * the last repair checkpoint in the database, and what readers received (the shared log's
 * `section` events). Within one round both are prefixes of the same reply, so each section
 * continues from the longer one — the model is asked to continue it, as Continue does — and
 * readers' section channels only ever grow.
 */

const keyOf = (draft: { number: number; round: number }) => `${draft.number}.${draft.round}`;

/** Folds `section` events (in order) into each replacement's text, as a reader does: a delta applies where it continues the text. */
export function receivedDrafts(events: Iterable<{ type: string; [field: string]: unknown }>): RepairDraft[] {
  const drafts = new Map<string, RepairDraft>();
  for (const event of events) {
    if (event.type !== "section") continue;
    const { number, round, from, delta } = event as unknown as SectionEvent;
    const key = keyOf({ number, round });
    const draft = drafts.get(key) ?? { number, round, text: "" };
    if (from <= draft.text.length && from + delta.length > draft.text.length) draft.text += delta.slice(draft.text.length - from);
    drafts.set(key, draft);
  }
  return [...drafts.values()];
}

/**
 * The drafts of the record's unfinished round to resume from: per section, the longer of the
 * checkpoint's and the received text when one extends the other; what readers received when they
 * disagree (cannot happen within one round), so their channel stays append-only.
 */
export function resumeDrafts(record: RepairRecord, stored: readonly RepairDraft[], received: readonly RepairDraft[]): RepairDraft[] {
  const round = record.rounds.at(-1);
  if (!round || round.endedAt !== null) return [...stored];
  const merged = new Map<string, RepairDraft>();
  for (const draft of stored) if (draft.round === round.round) merged.set(keyOf(draft), { ...draft });
  for (const draft of received) {
    if (draft.round !== round.round) continue;
    const kept = merged.get(keyOf(draft));
    if (!kept || !kept.text.startsWith(draft.text)) merged.set(keyOf(draft), { ...draft });
  }
  return [...merged.values()];
}
