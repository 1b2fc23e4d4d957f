import "server-only";
import type { LanguageModel } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import type { DesignDocument } from "@/lib/documents/types";
import type { MasterPrompt } from "@/lib/prompts/master-prompt";
import { fillMasterPrompt } from "@/lib/prompts/master-prompt";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import type { DocumentStore, FinishedFields } from "@/lib/store/document-store";
import { GenerationJob } from "./job";
import { type ModelStreamOutcome, runModelStream } from "./run-model-stream";

export interface RegistryDependencies {
  store: DocumentStore;
  config: StudioConfig;
  prompt: MasterPrompt;
  resolveModel(document: DesignDocument): LanguageModel;
}

/** Checkpoints that fail in a row before the generation is stopped: storage is gone, not busy. */
export const CHECKPOINT_FAILURES_BEFORE_STOP = 3;
/** Waits between the attempts to store the final state before readers are told it failed. */
const FINAL_WRITE_RETRY_MS = [200, 800];
/** Backoff of the background writes of a final state that could not be stored. */
const UNSAVED_RETRY_MS = { first: 1_000, max: 30_000 };

function finalReport(markdown: string): SectionReport | null {
  try {
    return analyzeSections(markdown, { final: true });
  } catch (error) {
    console.error("section analysis failed", error);
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A final state this process holds in memory because storage refused it. */
interface UnsavedResult {
  job: GenerationJob;
  fields: FinishedFields;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The running generations of this process. A job runs on the server whether or not anyone
 * watches it, checkpoints its text to the store at least every CHECKPOINT_INTERVAL_MS, and
 * stores its final state before it tells its readers it has ended.
 *
 * Storage failures are states, not log lines: a failed checkpoint is written again at the next
 * interval; checkpoints failing CHECKPOINT_FAILURES_BEFORE_STOP times in a row stop the
 * generation. A final state that cannot be stored ends the job `failed` with a storage message
 * (never `complete`: nothing unsaved is announced as done) and is kept in memory — served to
 * readers, the API and Continue — and written again in the background until storage takes it.
 */
export class GenerationRegistry {
  private readonly jobs = new Map<string, GenerationJob>();
  private readonly unsaved = new Map<string, UnsavedResult>();

  constructor(private readonly deps: RegistryDependencies) {}

  /** The job this process holds for a document: running, or ended with a final state not stored yet. */
  get(id: string): GenerationJob | undefined {
    return this.jobs.get(id) ?? this.unsaved.get(id)?.job;
  }

  /** Generations running now (not counting ended ones waiting for storage). */
  get activeCount(): number {
    return this.jobs.size;
  }

  /** Starts generating a document already stored as `generating`; its markdown is the prefix to continue from. */
  start(document: DesignDocument): GenerationJob {
    if (this.jobs.has(document.id)) throw new Error(`document ${document.id} is already generating`);
    this.forgetUnsaved(document.id);
    const job = new GenerationJob(document.id, document.markdown, document.continuations, document.history);
    this.jobs.set(job.id, job);
    void this.run(job, document);
    return job;
  }

  /** Stops a running job and waits until its final state is stored (or held). False when it was not running. */
  async cancel(id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job) return false;
    job.cancel();
    await job.done;
    return true;
  }

  /**
   * Tries once more to store the final state of a job that storage refused. True when nothing is
   * left unsaved for this document (Continue and Retry call it before they restart a document).
   */
  async saveUnsaved(id: string): Promise<boolean> {
    const entry = this.unsaved.get(id);
    if (!entry) return true;
    try {
      await this.deps.store.finish(id, entry.fields);
    } catch (error) {
      console.error(`final write of ${id} failed again`, error);
      return false;
    }
    this.forgetUnsaved(id);
    return true;
  }

  /**
   * Graceful shutdown: running jobs stop and are stored as `interrupted` (not `cancelled`: nobody
   * asked them to stop), so they can be continued after the restart. Unsaved states get one more try.
   */
  async interruptAll(message: string): Promise<void> {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) job.interrupt(message);
    await Promise.all(jobs.map((job) => job.done));
    await Promise.all([...this.unsaved.keys()].map((id) => this.saveUnsaved(id)));
  }

  private storageMessage(error: unknown): string {
    const detail = redactSecrets(error instanceof Error ? error.message : String(error), [this.deps.config.openaiApiKey]).replace(/\s+/g, " ").slice(0, 200);
    return `storage failed (${detail}). The text is kept in this server's memory and saved as soon as storage works again; then use Continue or Retry.`;
  }

  private async run(job: GenerationJob, document: DesignDocument): Promise<void> {
    const { store, config, prompt } = this.deps;
    let pendingWrite: Promise<void> = Promise.resolve();
    let failuresInARow = 0;
    const checkpoint = () => {
      const state = job.takeCheckpoint();
      if (!state) return;
      pendingWrite = pendingWrite
        .then(() => store.checkpoint(job.id, { markdown: state.text, continuations: state.continuations, history: state.history }))
        .then(
          () => {
            failuresInARow = 0;
          },
          (error: unknown) => {
            console.error(`checkpoint of ${job.id} failed`, error);
            job.checkpointFailed();
            failuresInARow += 1;
            if (failuresInARow >= CHECKPOINT_FAILURES_BEFORE_STOP) {
              job.failStorage(`The generation was stopped: ${failuresInARow} checkpoints in a row could not be saved; ${this.storageMessage(error)}`);
            }
          },
        );
    };
    const checkpointTimer = setInterval(checkpoint, config.checkpointIntervalMs);

    let outcome: ModelStreamOutcome;
    try {
      outcome = await runModelStream({
        model: this.deps.resolveModel(document),
        prompt: fillMasterPrompt(prompt.template, document.topic),
        prefix: document.markdown,
        maxOutputTokens: config.maxOutputTokens,
        firstTokenTimeoutMs: config.firstTokenTimeoutMs,
        idleTimeoutMs: config.idleTimeoutMs,
        maxContinuations: config.maxContinuations,
        maxAttempts: config.maxAttempts,
        retryBaseDelayMs: config.retryBaseDelayMs,
        maxRetryAfterMs: config.maxRetryAfterMs,
        secrets: [config.openaiApiKey],
        signal: job.controller.signal,
        onText: (delta) => job.append(delta),
        onActivity: (activity) => job.setActivity(activity),
        onContinuation: () => job.countContinuation(),
        onNote: (kind, message) => job.note(kind, message),
      });
    } catch (error) {
      console.error(`generation ${job.id} crashed`, error);
      outcome = { status: "failed", continuations: 0, error: "The generation stopped because of an internal error; the text so far is kept." };
    } finally {
      clearInterval(checkpointTimer);
    }

    await pendingWrite;
    const stopped = job.stopped;
    const status = stopped?.status ?? outcome.status;
    const error = stopped?.message ?? (outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Stopped by the user." : null);
    const fields: FinishedFields = { status, markdown: job.text, error, report: finalReport(job.text), continuations: job.continuations, history: [...job.history] };

    const storeError = await this.storeFinal(job.id, fields);
    this.jobs.delete(job.id);
    if (storeError === null) {
      job.end(status, error);
      return;
    }
    // Readers are told the truth: this document is not stored, so it is not complete.
    const message = `The document could not be saved: ${this.storageMessage(storeError)}${error && status !== "complete" ? ` (The generation itself ended ${status}: ${error})` : ""}`;
    const held: FinishedFields = { ...fields, status: "failed", error: message };
    this.unsaved.set(job.id, { job, fields: held, timer: undefined });
    job.end("failed", message);
    this.retryUnsaved(job.id, UNSAVED_RETRY_MS.first);
  }

  /** Stores a final state, retrying briefly; the last error when storage keeps refusing, else null. */
  private async storeFinal(id: string, fields: FinishedFields): Promise<unknown> {
    let lastError: unknown = null;
    for (const wait of [0, ...FINAL_WRITE_RETRY_MS]) {
      if (wait) await sleep(wait);
      try {
        await this.deps.store.finish(id, fields);
        return null;
      } catch (error) {
        console.error(`final write of ${id} failed`, error);
        lastError = error ?? new Error("unknown storage error");
      }
    }
    return lastError;
  }

  private retryUnsaved(id: string, delayMs: number): void {
    const entry = this.unsaved.get(id);
    if (!entry) return;
    entry.timer = setTimeout(() => {
      void this.saveUnsaved(id).then((saved) => {
        if (!saved) this.retryUnsaved(id, Math.min(delayMs * 2, UNSAVED_RETRY_MS.max));
      });
    }, delayMs);
    // A pending background write must not keep a process alive that is otherwise done.
    entry.timer.unref?.();
  }

  private forgetUnsaved(id: string): void {
    const entry = this.unsaved.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.unsaved.delete(id);
  }
}
