import "server-only";
import type { ParallelProgress } from "@/lib/documents/section-parts";
import type { FinalStatus, HistoryEntry, HistoryKind, RunningStatus } from "@/lib/documents/types";
import type { DocumentVersionSummary } from "@/lib/documents/versions";
import type { ActivityEvent, EndEvent, ModelActivity, StateEvent, TextEvent } from "@/lib/events/document-events";
import type { RepairDraft, RepairRecord } from "@/lib/repair/record";
import type { TypecheckResult } from "@/lib/typecheck/result";

/**
 * What a job tells its readers: the stream's events (lib/events/document-events.ts) as they are
 * sent, except `end`, whose offset the stream adds and whose version is always known here.
 */
export type JobEvent = TextEvent | ActivityEvent | StateEvent | (Omit<EndEvent, "offset" | "version"> & { version: number });

export type JobListener = (event: JobEvent) => void;

export interface Checkpoint {
  text: string;
  continuations: number;
  history: HistoryEntry[];
  /** Parallel mode: the outline and the parts. */
  parallel?: ParallelProgress;
}

/**
 * State a first-pass strategy keeps beside the text (parallel mode: the outline and the parts).
 * The job replays it to readers that attach, and checkpoints and stores it with the text.
 */
export interface SideState {
  /** Events that describe the current state, in the order a reader must apply them. */
  replay(): StateEvent[];
  snapshot(): ParallelProgress;
}

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
}

/** Why the server (not the model, not the user) stopped a job. */
export interface JobStop {
  status: "interrupted" | "failed";
  message: string;
}

export interface RepairCheckpoint {
  repair: RepairRecord;
  drafts: RepairDraft[];
  history: HistoryEntry[];
}

export interface JobStart {
  /** The text the job starts from (Continue: the kept text; a repair: the current version). */
  text: string;
  continuations: number;
  /** The version that text is. */
  version: number;
  /** The model tokens the document has used so far. */
  tokens?: TokenTotals;
  /** The document's history so far (automatic recoveries); the job adds to it. */
  history?: readonly HistoryEntry[];
}

/**
 * The live, in-memory state of one running job: its first pass, then the repair of its sections.
 * Readers subscribe and get every delta with the offset it ends at, so a reader can take a
 * snapshot and then follow without a gap: snapshot and subscribe happen in the same synchronous
 * turn. Its state changes only through its methods, so the registry, the readers and the
 * checkpoints always agree on it.
 */
export class GenerationJob {
  private textSoFar: string;
  private continuationCount: number;
  private readonly historyEntries: HistoryEntry[];
  private currentActivity: ModelActivity = "waiting";
  private listeners = new Set<JobListener>();
  private ended: { status: FinalStatus; error: string | null } | null = null;
  private stopReason: JobStop | null = null;
  private typecheckResult: TypecheckResult | null = null;
  private stage: RunningStatus = "generating";
  private repairRecord: RepairRecord | null = null;
  private readonly drafts = new Map<number, RepairDraft>();
  private latest: { version: DocumentVersionSummary; markdown: string } | null = null;
  private currentVersion: number;
  private limitMessage: string | null = null;
  private tokenTotals: TokenTotals;
  private side: SideState | null = null;
  /** The state changed since the last checkpoint. */
  private dirty = false;
  // Stryker disable next-line BooleanLiteral: no repair checkpoint is taken before a repair record exists, and setting one marks it dirty.
  private repairDirty = false;
  private resolveDone!: () => void;
  readonly controller = new AbortController();
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));
  /** The version the `text` channel carries. */
  readonly passVersion: number;

  constructor(
    readonly id: string,
    start: JobStart,
  ) {
    this.textSoFar = start.text;
    this.continuationCount = start.continuations;
    this.historyEntries = [...(start.history ?? [])];
    this.passVersion = start.version;
    this.currentVersion = start.version;
    this.tokenTotals = { ...(start.tokens ?? { inputTokens: 0, outputTokens: 0 }) };
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
  publish(event: StateEvent): void {
    if (this.ended) return;
    this.dirty = true;
    this.emit(event);
  }

  /** Everything beside the text a reader attaching now needs, in order. */
  stateEvents(): StateEvent[] {
    const events: StateEvent[] = [];
    if (this.tokenTotals.inputTokens || this.tokenTotals.outputTokens) events.push({ type: "tokens", ...this.tokenTotals });
    if (this.side) events.push(...this.side.replay());
    // The latest version before the type check: the check's `checkedLength` is of that text.
    if (this.latest) events.push({ type: "version", version: this.latest.version, markdown: this.latest.markdown });
    if (this.typecheckResult) events.push({ type: "checks", typecheck: this.typecheckResult });
    if (this.repairRecord) events.push({ type: "repair", repair: this.repairRecord });
    for (const draft of this.drafts.values()) {
      if (draft.text) events.push({ type: "section", number: draft.number, round: draft.round, from: 0, delta: draft.text });
    }
    return events;
  }

  /** The text of the `text` channel: the first pass as it is written (or the text the job started from). */
  get text(): string {
    return this.textSoFar;
  }

  /** The latest text: the pass, or the latest accepted repair round. */
  get markdown(): string {
    return this.latest?.markdown ?? this.textSoFar;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** The latest version made by this job (null while it is still the pass). */
  get latestVersion(): { version: DocumentVersionSummary; markdown: string } | null {
    return this.latest;
  }

  get status(): RunningStatus {
    return this.stage;
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

  /** The latest type check of the text, once the server ran one. */
  get typecheck(): TypecheckResult | null {
    return this.typecheckResult;
  }

  get repair(): RepairRecord | null {
    return this.repairRecord;
  }

  /** The replacement text being written, per section. */
  get repairDrafts(): RepairDraft[] {
    return [...this.drafts.values()];
  }

  recordTypecheck(typecheck: TypecheckResult): void {
    this.typecheckResult = typecheck;
    this.emit({ type: "checks", typecheck });
  }

  append(delta: string): void {
    if (!delta || this.ended || this.stage !== "generating") return;
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
    // A repairing document's row takes only repair checkpoints: the history goes with them then.
    if (this.stage === "repairing") this.repairDirty = true;
    else this.dirty = true;
  }

  /** The first pass is over; sections are repaired from now on. */
  beginRepair(record: RepairRecord, drafts: readonly RepairDraft[] = []): void {
    this.stage = "repairing";
    for (const draft of drafts) this.drafts.set(draft.number, { ...draft });
    this.updateRepair(record);
  }

  /** The repair's state changed (a section started, was judged…): readers get it whole. */
  updateRepair(record: RepairRecord): void {
    this.repairRecord = record;
    this.repairDirty = true;
    this.emit({ type: "repair", repair: record });
  }

  /** More of a section's replacement; a new round starts the section's text over. */
  appendSection(number: number, round: number, delta: string): void {
    if (!delta || this.ended) return;
    let draft = this.drafts.get(number);
    if (!draft || draft.round !== round) {
      draft = { number, round, text: "" };
      this.drafts.set(number, draft);
    }
    const from = draft.text.length;
    draft.text += delta;
    this.repairDirty = true;
    this.emit({ type: "section", number, round, from, delta });
  }

  /** Forgets the replacement text of a round (it was judged, and its outcome is in the record). */
  clearDrafts(round: number): void {
    for (const [number, draft] of this.drafts) if (draft.round === round) this.drafts.delete(number);
    this.repairDirty = true;
  }

  /** An accepted round: the document's new version. */
  acceptVersion(version: DocumentVersionSummary, markdown: string): void {
    this.latest = { version, markdown };
    this.currentVersion = version.version;
    this.emit({ type: "version", version, markdown });
  }

  /** The state to write, if anything changed since the last call (a split pair waits in the store: storablePrefix). */
  takeCheckpoint(): Checkpoint | null {
    if (!this.dirty) return null;
    this.dirty = false;
    return {
      text: this.textSoFar,
      continuations: this.continuationCount,
      history: [...this.historyEntries],
      ...(this.side ? { parallel: this.side.snapshot() } : {}),
    };
  }

  /** A checkpoint could not be written: the next one writes the state again. */
  checkpointFailed(): void {
    this.dirty = true;
  }

  /** The repair state to write, if anything changed since the last call. */
  takeRepairCheckpoint(): RepairCheckpoint | null {
    if (!this.repairDirty || !this.repairRecord) return null;
    this.repairDirty = false;
    return { repair: this.repairRecord, drafts: this.repairDrafts.map((draft) => ({ ...draft })), history: [...this.historyEntries] };
  }

  /** A repair checkpoint could not be written: the next one writes the repair state again. */
  repairCheckpointFailed(): void {
    this.repairDirty = true;
  }

  /** Stops the job for a shutdown (not the user's choice): it ends `interrupted`. */
  interrupt(message: string): void {
    this.stop({ status: "interrupted", message });
  }

  /** Stops the job because its text cannot be stored: it ends `failed` with that message. */
  failStorage(message: string): void {
    this.stop({ status: "failed", message });
  }

  /**
   * Set when a spend limit is reached: no further model request of this job starts (each request
   * checks it first). A first pass it stops ends `failed` with this reason.
   */
  get limitReached(): string | null {
    return this.limitMessage;
  }

  /**
   * A spend limit is reached: no further model request starts. During the first pass the job is
   * stopped too (parallel mode: its open section requests with it), since the pass fails anyway;
   * during a repair, requests already streaming (its other sections) finish and report what they
   * used, since each replacement may still be kept and a repair never fails the document.
   */
  stopForLimit(message: string): void {
    this.limitMessage ??= message;
    if (this.stage === "generating") this.controller.abort(new Error(message));
  }

  /** Stops the job because the user asked. */
  cancel(): void {
    this.controller.abort(new Error("cancelled by the user"));
  }

  end(status: FinalStatus, error: string | null): void {
    if (this.ended) return;
    this.ended = { status, error };
    this.emit({ type: "end", status, error, version: this.currentVersion });
    this.listeners.clear();
    this.resolveDone();
  }

  subscribe(listener: JobListener): () => void {
    if (this.ended) {
      listener({ type: "end", ...this.ended, version: this.currentVersion });
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
