import "server-only";
import { type Outline, type ParallelProgress, type PartProgress, type PartState } from "@/lib/documents/section-parts";
import { type OutlineEvent, type SectionStateEvent, sectionStateEvent, type SectionTextEvent, sectionTextEvent } from "@/lib/events/document-events";

/**
 * Resuming a parallel document that nobody runs any more (its owner died, lost its lease, or the
 * whole studio restarted) on another instance or process. Two views of its parts exist: the
 * last checkpoint in the database, and what readers received (the shared log, with Redis). Both
 * are prefixes of the same texts — one start of a generation only appends — so each part resumes
 * from the longer one, and readers are sent what they miss (the events below) before the new
 * owner writes anything. Every part that is not complete is written again from its text, as
 * Continue does; complete parts are kept.
 */

/** A part as readers have it: its text (from `section-text`) and the last state they heard. */
export interface ReceivedPart {
  text: string;
  state: PartState | null;
}

/** What readers of a parallel generation have received. */
export interface ReceivedParallel {
  outline: Outline | null;
  parts: Map<string, ReceivedPart>;
}

const keyOf = (part: { section: number; part: number }) => `${part.section}.${part.part}`;

/**
 * Folds the events readers received (in order) into each part's text, exactly as a reader does:
 * a `section-text` applies from where the part's text ends (replays repeat what it has).
 */
export function receivedParallel(events: Iterable<{ type: string; [field: string]: unknown }>): ReceivedParallel {
  const received: ReceivedParallel = { outline: null, parts: new Map() };
  const partOf = (key: string) => {
    let part = received.parts.get(key);
    if (!part) received.parts.set(key, (part = { text: "", state: null }));
    return part;
  };
  for (const event of events) {
    if (event.type === "outline") received.outline = (event as OutlineEvent).outline;
    else if (event.type === "section-text") {
      const { delta, offset } = event as SectionTextEvent;
      const part = partOf(keyOf(event as SectionTextEvent));
      const start = offset - delta.length;
      // A gap (start beyond the text) cannot happen in one log; skipping it keeps the text a true prefix.
      if (start >= 0 && start <= part.text.length && offset > part.text.length) part.text += delta.slice(part.text.length - start);
    } else if (event.type === "section-state") partOf(keyOf(event as SectionStateEvent)).state = (event as SectionStateEvent).state;
  }
  return received;
}

export interface ParallelResume {
  /** The state the new owner starts from: complete parts kept, every other part queued from its text. */
  progress: ParallelProgress;
  /** What readers lack of it, to send before the new owner's first event (the outline, text, and every part's state). */
  catchUp: (OutlineEvent | SectionTextEvent | SectionStateEvent)[];
}

/**
 * The state to resume from. `checkpoint` is the stored progress (or, when none was stored yet, a
 * fresh one with the same parts), `received` what readers have (empty: nothing was sent, e.g.
 * without Redis). A part whose two texts disagree (cannot happen within one start) resumes from
 * what readers have, so their channels stay append-only.
 */
export function resumeParallel(checkpoint: ParallelProgress, received: ReceivedParallel): ParallelResume {
  const catchUp: ParallelResume["catchUp"] = [];
  const outline = received.outline ?? checkpoint.outline;
  if (outline && !received.outline) catchUp.push({ type: "outline", outline });
  const parts = checkpoint.parts.map((stored): PartProgress => {
    const sent = received.parts.get(keyOf(stored)) ?? { text: "", state: null };
    const fromCheckpoint = stored.text.startsWith(sent.text);
    const text = fromCheckpoint ? stored.text : sent.text;
    const complete = (fromCheckpoint && stored.state === "complete") || (text === sent.text && sent.state === "complete");
    const part: PartProgress = { ...stored, text, state: complete ? "complete" : "queued", error: null };
    if (text.length > sent.text.length) catchUp.push(sectionTextEvent(part, sent.text.length));
    return part;
  });
  for (const part of parts) catchUp.push(sectionStateEvent(part));
  return { progress: { outline, parts }, catchUp };
}
