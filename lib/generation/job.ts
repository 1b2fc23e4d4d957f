import "server-only";
import type { ParallelProgress } from "@/lib/documents/section-parts";
import type { FinalStatus } from "@/lib/documents/types";
import type { OutlineEvent, SectionStateEvent, SectionTextEvent, TokensEvent } from "@/lib/events/document-events";
import type { TypecheckResult } from "@/lib/typecheck/result";

/** Events that describe state beside the text (they carry no id on the wire, and are replayed on attach). */
export type JobStateEvent = { type: "checks"; typecheck: TypecheckResult } | TokensEvent | OutlineEvent | SectionTextEvent | SectionStateEvent;

export type JobEvent = { type: "text"; delta: string; offset: number } | JobStateEvent | { type: "end"; status: FinalStatus; error: string | null };

export type JobListener = (event: JobEvent) => void;

export interface Checkpoint {
  text: string;
  continuations: number;
  /** Parallel mode: the outline and the parts. */
  parallel?: ParallelProgress;
}

/**
 * State a first-pass strategy keeps beside the text (parallel mode: the outline and the parts).
 * The job replays it to readers that attach, and checkpoints and stores it with the text.
 */
export interface SideState {
  /** Events that describe the current state, in the order a reader must apply them. */
  replay(): JobStateEvent[];
  snapshot(): ParallelProgress;
}

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
}

/**
 * The live, in-memory state of one running generation. Readers subscribe and get every delta
 * with the offset it ends at, so a reader can take a snapshot and then follow without a gap:
 * snapshot and subscribe happen in the same synchronous turn. Its state changes only through
 * its methods, so the registry, the readers and the checkpoints always agree on it.
 */
export class GenerationJob {
  private textSoFar: string;
  private continuationCount: number;
  private listeners = new Set<JobListener>();
  private ended: { status: FinalStatus; error: string | null } | null = null;
  private interruptionMessage: string | null = null;
  private typecheckResult: TypecheckResult | null = null;
  private limitMessage: string | null = null;
  private tokenTotals: TokenTotals;
  private side: SideState | null = null;
  /** The text changed since the last checkpoint. */
  private dirty = false;
  private resolveDone!: () => void;
  readonly controller = new AbortController();
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));

  constructor(
    readonly id: string,
    initialText: string,
    initialContinuations: number,
    initialTokens: TokenTotals = { inputTokens: 0, outputTokens: 0 },
  ) {
    this.textSoFar = initialText;
    this.continuationCount = initialContinuations;
    this.tokenTotals = { ...initialTokens };
  }

  /** The model tokens the document has used, this generation's requests included. */
  get tokens(): TokenTotals {
    return this.tokenTotals;
  }

  /** One request's tokens, as the provider reported them. */
  addTokens(inputTokens: number, outputTokens: number): void {
    this.tokenTotals = { inputTokens: this.tokenTotals.inputTokens + inputTokens, outputTokens: this.tokenTotals.outputTokens + outputTokens };
    this.emit({ type: "tokens", ...this.tokenTotals });
  }

  /** Parallel mode: the parts' state, replayed on attach and checkpointed with the text. */
  get sideState(): SideState | null {
    return this.side;
  }

  attachSideState(side: SideState): void {
    this.side = side;
    this.dirty = true;
  }

  /** State beside the text changed: readers hear `event`, and the next checkpoint writes it. */
  publish(event: JobStateEvent): void {
    if (this.ended) return;
    this.dirty = true;
    this.emit(event);
  }

  /** Everything beside the text a reader attaching now needs, in order. */
  stateEvents(): JobStateEvent[] {
    const events: JobStateEvent[] = [];
    if (this.tokenTotals.inputTokens || this.tokenTotals.outputTokens) events.push({ type: "tokens", ...this.tokenTotals });
    if (this.side) events.push(...this.side.replay());
    if (this.typecheckResult) events.push({ type: "checks", typecheck: this.typecheckResult });
    return events;
  }

  get text(): string {
    return this.textSoFar;
  }

  get continuations(): number {
    return this.continuationCount;
  }

  /** Set when the server stopped the job for a shutdown: it ends `interrupted`, resumable. */
  get interruption(): string | null {
    return this.interruptionMessage;
  }

  get result(): { status: FinalStatus; error: string | null } | null {
    return this.ended;
  }

  /** The latest type check of the text, once the server ran one. */
  get typecheck(): TypecheckResult | null {
    return this.typecheckResult;
  }

  recordTypecheck(typecheck: TypecheckResult): void {
    this.typecheckResult = typecheck;
    this.emit({ type: "checks", typecheck });
  }

  append(delta: string): void {
    if (!delta || this.ended) return;
    this.textSoFar += delta;
    this.dirty = true;
    this.emit({ type: "text", delta, offset: this.textSoFar.length });
  }

  /** One more automatic continuation after the model's output-token limit. */
  countContinuation(): void {
    this.continuationCount += 1;
    this.dirty = true;
  }

  /** The state to write, if anything changed since the last call. */
  takeCheckpoint(): Checkpoint | null {
    if (!this.dirty) return null;
    this.dirty = false;
    return { text: this.textSoFar, continuations: this.continuationCount, ...(this.side ? { parallel: this.side.snapshot() } : {}) };
  }

  /** Stops the job for a shutdown (not the user's choice): it ends `interrupted`. */
  interrupt(message: string): void {
    this.interruptionMessage ??= message;
    this.controller.abort(new Error(message));
  }

  /** Set when a spend limit stopped the job before its next model request: it ends `failed` with this reason. */
  get limitReached(): string | null {
    return this.limitMessage;
  }

  /** Stops the job because a spend limit is reached (no further model request starts). */
  stopForLimit(message: string): void {
    this.limitMessage ??= message;
    this.controller.abort(new Error(message));
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
