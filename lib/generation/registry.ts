import "server-only";
import type { LanguageModel, LanguageModelUsage } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import type { RequestTokens } from "@/lib/documents/token-budget";
import type { DesignDocument } from "@/lib/documents/types";
import type { MasterPrompt } from "@/lib/prompts/master-prompt";
import type { PromptStyle } from "@/lib/prompts/style";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import type { DocumentStore, FinishedFields, GenerationRef } from "@/lib/store/document-store";
import { typecheckFinishedDocument } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import type { FirstPassResult, FirstPassStrategy } from "./first-pass";
import { GenerationJob } from "./job";
import { runParallelPass } from "./parallel/parallel-pass";
import { runSinglePass } from "./single-pass";

export interface RegistryDependencies {
  store: DocumentStore;
  config: StudioConfig;
  /** Both styles: a document is continued with the style that started it. */
  prompts: Record<PromptStyle, MasterPrompt>;
  resolveModel(document: DesignDocument): LanguageModel;
  /** Records one model request's tokens for a document; returns why no further request may start (a spend limit), or null. */
  recordUsage?(documentId: string, usage: RequestTokens): Promise<string | null>;
}

/** Checkpoints that fail in a row before the generation is stopped: storage is gone, not busy. */
export const CHECKPOINT_FAILURES_BEFORE_STOP = 3;
/** Waits between the attempts to store the final state before readers are told it failed. */
const FINAL_WRITE_RETRY_MS = [200, 800];
/** Backoff of the background writes of a final state that could not be stored. */
const UNSAVED_RETRY_MS = { first: 1_000, max: 30_000 };

/** The first pass of each generation mode. */
const FIRST_PASS: Record<DesignDocument["mode"], FirstPassStrategy> = { single: runSinglePass, parallel: runParallelPass };

/** A request's usage as counted: the provider's total when it gives one. */
function requestTokens(usage: LanguageModelUsage): RequestTokens {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return { input, output, total: usage.totalTokens ?? input + output };
}

function finalReport(markdown: string, typecheck: TypecheckResult): SectionReport | null {
  try {
    return analyzeSections(markdown, { final: true, typecheck });
  } catch (error) {
    console.error("section analysis failed", error);
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A final state this process holds in memory because storage refused it. */
interface UnsavedResult {
  job: GenerationJob;
  generation: GenerationRef;
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
    const job = new GenerationJob(document.id, document.markdown, document.continuations, document.history, {
      inputTokens: document.inputTokens,
      outputTokens: document.outputTokens,
    });
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
      await this.deps.store.finish(entry.generation, entry.fields);
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

  /** Where every model request of a job reports its usage: counted toward the spend limits, which stop the job before its next request. */
  private usageRecorder(job: GenerationJob): (usage: LanguageModelUsage) => Promise<void> {
    return async (usage) => {
      const tokens = requestTokens(usage);
      job.addTokens(tokens.input, tokens.output);
      const stop = await this.deps.recordUsage?.(job.id, tokens).catch((error: unknown) => {
        console.error(`recording token usage of ${job.id} failed`, error);
        return null;
      });
      if (stop) job.stopForLimit(stop);
    };
  }

  private storageMessage(error: unknown): string {
    const detail = redactSecrets(error instanceof Error ? error.message : String(error), [this.deps.config.openaiApiKey]).replace(/\s+/g, " ").slice(0, 200);
    return `storage failed (${detail}). The text is kept in this server's memory and saved as soon as storage works again; then use Continue or Retry.`;
  }

  private async run(job: GenerationJob, document: DesignDocument): Promise<void> {
    const { store, config } = this.deps;
    const prompt = this.deps.prompts[document.promptStyle];
    let pendingWrite: Promise<void> = Promise.resolve();
    let failuresInARow = 0;
    const checkpoint = () => {
      const state = job.takeCheckpoint();
      if (!state) return;
      pendingWrite = pendingWrite
        .then(() => store.checkpoint(document, state.text, state.continuations, { history: state.history, parallel: state.parallel }))
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

    let outcome: FirstPassResult;
    try {
      outcome = await FIRST_PASS[document.mode]({
        job,
        document,
        model: this.deps.resolveModel(document),
        prompt,
        config,
        onUsage: this.usageRecorder(job),
      });
    } catch (error) {
      console.error(`generation ${job.id} crashed`, error);
      outcome = { status: "failed", continuations: 0, markdown: job.text, error: "The generation stopped because of an internal error; the text so far is kept." };
    } finally {
      clearInterval(checkpointTimer);
    }

    await pendingWrite;
    const stopped = job.stopped;
    // A spend limit only stops the next request: a model that had finished still completes the document.
    const limit = outcome.status === "cancelled" ? job.limitReached : null;
    const status = stopped?.status ?? (limit ? "failed" : outcome.status);
    const error = stopped?.message ?? limit ?? (outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Stopped by the user." : null);
    // Before the final report is stored and readers get `end`; bounded by the checker's timeout.
    const typecheck = await typecheckFinishedDocument(job.text, status);
    job.recordTypecheck(typecheck);
    const fields: FinishedFields = {
      status,
      markdown: job.text,
      error,
      report: finalReport(job.text, typecheck),
      continuations: job.continuations,
      history: [...job.history],
      parallel: job.sideState?.snapshot(),
    };

    const storeError = await this.storeFinal(document, fields);
    this.jobs.delete(job.id);
    if (storeError === null) {
      job.end(status, error);
      return;
    }
    // Readers are told the truth: this document is not stored, so it is not complete.
    const message = `The document could not be saved: ${this.storageMessage(storeError)}${error && status !== "complete" ? ` (The generation itself ended ${status}: ${error})` : ""}`;
    const held: FinishedFields = { ...fields, status: "failed", error: message };
    this.unsaved.set(job.id, { job, generation: { id: document.id, fence: document.fence }, fields: held, timer: undefined });
    job.end("failed", message);
    this.retryUnsaved(job.id, UNSAVED_RETRY_MS.first);
  }

  /**
   * Stores a final state, retrying briefly; the last error when storage keeps refusing, else null.
   * A write the store declines (a later start owns the document) is not an error: there is nothing to keep.
   */
  private async storeFinal(generation: GenerationRef, fields: FinishedFields): Promise<unknown> {
    let lastError: unknown = null;
    for (const wait of [0, ...FINAL_WRITE_RETRY_MS]) {
      if (wait) await sleep(wait);
      try {
        await this.deps.store.finish(generation, fields);
        return null;
      } catch (error) {
        console.error(`final write of ${generation.id} failed`, error);
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
