import "server-only";
import {
  documentText,
  finishedPartText,
  type Outline,
  type ParallelProgress,
  type PartKey,
  type PartProgress,
  type PartState,
  samePart,
} from "@/lib/documents/section-parts";
import { type ModelActivity, sectionStateEvent, sectionTextEvent, type StateEvent } from "@/lib/events/document-events";
import { ActivityMix } from "../activity-mix";
import type { GenerationJob, SideState } from "../job";

function copyProgress(progress: ParallelProgress): ParallelProgress {
  return { outline: progress.outline, parts: progress.parts.map((part) => ({ ...part })) };
}

/**
 * The parts of one parallel generation, in the job: every change is told to the job's readers as
 * an event (`section-text`, `section-state`, `outline`), and the job's `text` (what readers that
 * know only `text` get) is kept equal to `documentText(parts, false)` — a part's text joins it
 * once every part before it is complete — and, after `finish`, to the whole document.
 */
export class PartsBoard implements SideState {
  private readonly progress: ParallelProgress;
  /** The first part not yet wholly in the job's text, and how much of its text is. */
  private cursor = 0;
  private releasedInPart = 0;
  private finished = false;
  /** What the model of each part being written is doing, by part. */
  private readonly activities: ActivityMix<PartProgress>;

  constructor(
    private readonly job: GenerationJob,
    initial: ParallelProgress,
  ) {
    this.progress = copyProgress(initial);
    this.activities = new ActivityMix((activity) => job.setActivity(activity));
    // The job starts from the text the store holds for this start: exactly the complete parts and the first unfinished one.
    const expected = documentText(this.progress.parts, false);
    if (job.text !== expected) throw new Error(`document ${job.id}: its text does not match its parts`);
    while (this.progress.parts[this.cursor]?.state === "complete") this.cursor += 1;
    this.releasedInPart = this.progress.parts[this.cursor]?.text.length ?? 0;
    job.attachSideState(this);
  }

  get outline(): Outline | null {
    return this.progress.outline;
  }

  get parts(): readonly PartProgress[] {
    return this.progress.parts;
  }

  part(key: PartKey): PartProgress {
    const found = this.progress.parts.find((part) => samePart(part, key));
    if (!found) throw new Error(`no part ${key.section}.${key.part}`);
    return found;
  }

  setOutline(outline: Outline): void {
    this.progress.outline = outline;
    this.job.publish({ type: "outline", outline });
  }

  appendText(key: PartKey, delta: string): void {
    if (!delta || this.finished) return;
    const part = this.part(key);
    part.text += delta;
    this.job.publish(sectionTextEvent(part, part.text.length - delta.length));
    this.release();
  }

  /** A part changes state; a part that completes ends with a blank line (the last one with a newline). */
  setState(key: PartKey, state: PartState, error: string | null = null): void {
    if (this.finished) return;
    const part = this.part(key);
    if (state === "complete") {
      const last = part === this.progress.parts.at(-1);
      const finishedText = finishedPartText(part.text, last);
      this.appendText(key, finishedText.slice(part.text.length));
    }
    part.state = state;
    part.error = error;
    if (state !== "writing") this.activities.clear(part);
    this.publishState(part);
    this.release();
  }

  /**
   * What one part's model is doing. The document's activity is what its parts do together:
   * `writing` while any part writes, `thinking` while any thinks and none writes, else `waiting`.
   */
  setActivity(key: PartKey, activity: ModelActivity): void {
    if (this.finished) return;
    this.activities.set(this.part(key), activity);
  }

  addTokens(key: PartKey, inputTokens: number, outputTokens: number): void {
    const part = this.part(key);
    part.inputTokens += inputTokens;
    part.outputTokens += outputTokens;
    this.publishState(part);
  }

  countContinuation(key: PartKey): void {
    const part = this.part(key);
    part.continuations += 1;
    this.publishState(part);
  }

  /** The generation ended: every part's text joins the document, unfinished ones included. */
  finish(): void {
    this.release(true);
    this.finished = true;
  }

  replay(): StateEvent[] {
    const events: StateEvent[] = [];
    if (this.progress.outline) events.push({ type: "outline", outline: this.progress.outline });
    for (const part of this.progress.parts) {
      if (part.text) events.push(sectionTextEvent(part));
      events.push(sectionStateEvent(part));
    }
    return events;
  }

  snapshot(): ParallelProgress {
    return copyProgress(this.progress);
  }

  private publishState(part: PartProgress): void {
    this.job.publish(sectionStateEvent(part));
  }

  /** Appends to the job's text what `documentText(parts, final)` has beyond it. */
  private release(final = false): void {
    const parts = this.progress.parts;
    while (this.cursor < parts.length) {
      const part = parts[this.cursor]!;
      if (this.releasedInPart < part.text.length) {
        const text = this.job.text;
        // Only after a part that ended unfinished (final) can the text lack the blank line before a block.
        if (this.releasedInPart === 0 && text && !text.endsWith("\n\n")) this.job.append(text.endsWith("\n") ? "\n" : "\n\n");
        this.job.append(part.text.slice(this.releasedInPart));
        this.releasedInPart = part.text.length;
      }
      if (part.state !== "complete" && !final) return;
      this.cursor += 1;
      this.releasedInPart = 0;
    }
  }
}
