import "server-only";
import type { LanguageModel, LanguageModelUsage } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import type { RequestTokens } from "@/lib/documents/token-budget";
import type { DesignDocument } from "@/lib/documents/types";
import type { MasterPrompt } from "@/lib/prompts/master-prompt";
import type { PromptStyle } from "@/lib/prompts/style";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import type { DocumentStore } from "@/lib/store/document-store";
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

/**
 * The running generations of this process. A job runs on the server whether or not anyone
 * watches it, checkpoints its text to the store at least every CHECKPOINT_INTERVAL_MS, and
 * writes its final state before it tells its readers it has ended.
 */
export class GenerationRegistry {
  private readonly jobs = new Map<string, GenerationJob>();

  constructor(private readonly deps: RegistryDependencies) {}

  get(id: string): GenerationJob | undefined {
    return this.jobs.get(id);
  }

  get activeCount(): number {
    return this.jobs.size;
  }

  /** Starts generating a document already stored as `generating`; its markdown is the prefix to continue from. */
  start(document: DesignDocument): GenerationJob {
    if (this.jobs.has(document.id)) throw new Error(`document ${document.id} is already generating`);
    const job = new GenerationJob(document.id, document.markdown, document.continuations, {
      inputTokens: document.inputTokens,
      outputTokens: document.outputTokens,
    });
    this.jobs.set(job.id, job);
    void this.run(job, document);
    return job;
  }

  /** Stops a running job and waits until its final state is stored. False when it was not running. */
  async cancel(id: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job) return false;
    job.cancel();
    await job.done;
    return true;
  }

  /**
   * Graceful shutdown: running jobs stop and are stored as `interrupted` (not `cancelled`: nobody
   * asked them to stop), so they can be continued after the restart.
   */
  async interruptAll(message: string): Promise<void> {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) job.interrupt(message);
    await Promise.all(jobs.map((job) => job.done));
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

  private async run(job: GenerationJob, document: DesignDocument): Promise<void> {
    const { store, config } = this.deps;
    const prompt = this.deps.prompts[document.promptStyle];
    let pendingWrite: Promise<unknown> = Promise.resolve();
    const checkpoint = () => {
      const state = job.takeCheckpoint();
      if (!state) return;
      pendingWrite = pendingWrite
        .then(() => store.checkpoint(document, state.text, state.continuations, state.parallel))
        .catch((error: unknown) => console.error(`checkpoint of ${job.id} failed`, error));
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
    // A spend limit only stops the next request: a model that had finished still completes the document.
    const limit = outcome.status === "cancelled" ? job.limitReached : null;
    const status = job.interruption ? "interrupted" : limit ? "failed" : outcome.status;
    const error = job.interruption ?? limit ?? (outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Stopped by the user." : null);
    // Before the final report is stored and readers get `end`; bounded by the checker's timeout.
    const typecheck = await typecheckFinishedDocument(job.text, status);
    job.recordTypecheck(typecheck);
    try {
      await store.finish(document, {
        status,
        markdown: job.text,
        error,
        report: finalReport(job.text, typecheck),
        continuations: job.continuations,
        parallel: job.sideState?.snapshot(),
      });
    } catch (storeError) {
      console.error(`final write of ${job.id} failed`, storeError);
    }
    this.jobs.delete(job.id);
    job.end(status, error);
  }
}
