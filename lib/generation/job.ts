import type { DocumentStatus } from "@/lib/documents/types";

export type FinalStatus = Exclude<DocumentStatus, "generating">;

export type JobEvent =
  | { type: "text"; delta: string; offset: number }
  | { type: "end"; status: FinalStatus; error: string | null };

export type JobListener = (event: JobEvent) => void;

/**
 * The live, in-memory state of one running generation. Readers subscribe and get every delta
 * with the offset it ends at, so a reader can take a snapshot and then follow without a gap:
 * snapshot and subscribe happen in the same synchronous turn.
 */
export class GenerationJob {
  private textSoFar: string;
  private listeners = new Set<JobListener>();
  private ended: { status: FinalStatus; error: string | null } | null = null;
  private resolveDone!: () => void;
  readonly controller = new AbortController();
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));
  continuations = 0;
  /** Set when the server stops the job for a shutdown: it ends `interrupted`, resumable. */
  interruption: string | null = null;
  /** Set when the text changed since the last checkpoint. */
  dirty = false;

  constructor(
    readonly id: string,
    readonly generationKey: string,
    initialText: string,
  ) {
    this.textSoFar = initialText;
  }

  get text(): string {
    return this.textSoFar;
  }

  get result(): { status: FinalStatus; error: string | null } | null {
    return this.ended;
  }

  append(delta: string): void {
    if (!delta || this.ended) return;
    this.textSoFar += delta;
    this.dirty = true;
    this.emit({ type: "text", delta, offset: this.textSoFar.length });
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
