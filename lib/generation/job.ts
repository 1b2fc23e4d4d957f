import "server-only";
import type { FinalStatus, HistoryEntry, HistoryKind } from "@/lib/documents/types";
import type { ModelActivity } from "@/lib/events/document-events";

export type JobEvent =
  | { type: "text"; delta: string; offset: number }
  | { type: "activity"; activity: ModelActivity }
  | { type: "end"; status: FinalStatus; error: string | null };

export type JobListener = (event: JobEvent) => void;

export interface Checkpoint {
  text: string;
  continuations: number;
  history: HistoryEntry[];
}

/** Why the server (not the model, not the user) stopped a job. */
export interface JobStop {
  status: "interrupted" | "failed";
  message: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The live, in-memory state of one running generation. Readers subscribe and get every delta
 * with the offset it ends at, so a reader can take a snapshot and then follow without a gap:
 * snapshot and subscribe happen in the same synchronous turn. Its state changes only through
 * its methods, so the registry, the readers and the checkpoints always agree on it.
 */
export class GenerationJob {
  private textSoFar: string;
  private continuationCount: number;
  private readonly historyEntries: HistoryEntry[];
  private currentActivity: ModelActivity = "waiting";
  private listeners = new Set<JobListener>();
  private ended: { status: FinalStatus; error: string | null } | null = null;
  private stopReason: JobStop | null = null;
  /** The state changed since the last checkpoint. */
  private dirty = false;
  private resolveDone!: () => void;
  readonly controller = new AbortController();
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));

  constructor(
    readonly id: string,
    initialText: string,
    initialContinuations: number,
    initialHistory: readonly HistoryEntry[] = [],
  ) {
    this.textSoFar = initialText;
    this.continuationCount = initialContinuations;
    this.historyEntries = [...initialHistory];
  }

  get text(): string {
    return this.textSoFar;
  }

  get continuations(): number {
    return this.continuationCount;
  }

  get history(): readonly HistoryEntry[] {
    return this.historyEntries;
  }

  get activity(): ModelActivity {
    return this.currentActivity;
  }

  /** Set when the server stopped the job (a shutdown, storage gone): it ends with that status. */
  get stopped(): JobStop | null {
    return this.stopReason;
  }

  get result(): { status: FinalStatus; error: string | null } | null {
    return this.ended;
  }

  append(delta: string): void {
    if (!delta || this.ended) return;
    this.textSoFar += delta;
    this.dirty = true;
    this.setActivity("writing");
    this.emit({ type: "text", delta, offset: this.textSoFar.length });
  }

  /** What the model is doing now; readers hear about changes only. */
  setActivity(activity: ModelActivity): void {
    if (activity === this.currentActivity || this.ended) return;
    this.currentActivity = activity;
    this.emit({ type: "activity", activity });
  }

  /** One more automatic continuation after the model's output-token limit. */
  countContinuation(): void {
    this.continuationCount += 1;
    this.dirty = true;
  }

  /** Records an automatic recovery in the document's history. */
  note(kind: HistoryKind, message: string): void {
    this.historyEntries.push({ at: new Date().toISOString(), kind, message });
    this.dirty = true;
  }

  /**
   * The state to write, if anything changed since the last call. A trailing high surrogate waits
   * for its pair: storage encodes text as UTF-8, where half a pair becomes U+FFFD for good.
   */
  takeCheckpoint(): Checkpoint | null {
    if (!this.dirty) return null;
    const splitPair = isHighSurrogate(this.textSoFar.charCodeAt(this.textSoFar.length - 1));
    this.dirty = splitPair;
    return {
      text: splitPair ? this.textSoFar.slice(0, -1) : this.textSoFar,
      continuations: this.continuationCount,
      history: [...this.historyEntries],
    };
  }

  /** A checkpoint could not be written: the next one writes the state again. */
  checkpointFailed(): void {
    this.dirty = true;
  }

  /** Stops the job for a shutdown (not the user's choice): it ends `interrupted`. */
  interrupt(message: string): void {
    this.stop({ status: "interrupted", message });
  }

  /** Stops the job because its text cannot be stored: it ends `failed` with that message. */
  failStorage(message: string): void {
    this.stop({ status: "failed", message });
  }

  /** Stops the job because the user asked. */
  cancel(): void {
    this.controller.abort(new Error("cancelled by the user"));
  }

  end(status: FinalStatus, error: string | null): void {
    if (this.ended) return;
    this.ended = { status, error };
    this.emit({ type: "end", status, error });
    this.listeners.clear();
    this.resolveDone();
  }

  subscribe(listener: JobListener): () => void {
    if (this.ended) {
      listener({ type: "end", ...this.ended });
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private stop(reason: JobStop): void {
    this.stopReason ??= reason;
    this.controller.abort(new Error(reason.message));
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken reader must not stop the generation or the other readers.
        this.listeners.delete(listener);
      }
    }
  }
}
