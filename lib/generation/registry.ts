import "server-only";
import type { LanguageModel, LanguageModelUsage } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import type { RequestTokens } from "@/lib/documents/token-budget";
import type { DesignDocument, FinalStatus } from "@/lib/documents/types";
import type { MasterPrompt } from "@/lib/prompts/master-prompt";
import type { PromptStyle } from "@/lib/prompts/style";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import { addUsage, NO_USAGE, type RepairDraft, type RepairRecord, type TokenUsage } from "@/lib/repair/record";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import type { DocumentStore } from "@/lib/store/document-store";
import { typecheckDocument, typecheckFinishedDocument } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import type { FirstPassResult, FirstPassStrategy } from "./first-pass";
import { GenerationJob } from "./job";
import { runParallelPass } from "./parallel/parallel-pass";
import { newRepairRecord, runRepairStage } from "./repair/run-repair-stage";
import type { RepairContext, RequestSpend } from "./repair/types";
import { runSinglePass } from "./single-pass";
import { requestTokens, tokenUsage } from "./token-usage";

export interface RegistryDependencies {
  store: DocumentStore;
  config: StudioConfig;
  /** Both styles: a document is continued with the style that started it. */
  prompts: Record<PromptStyle, MasterPrompt>;
  resolveModel(document: DesignDocument): LanguageModel;
  /** Type-checks a whole document (default: the shared warm worker). */
  typecheck?(markdown: string): Promise<TypecheckResult>;
  /** Records one model request's tokens for a document; returns why no further request may start (a spend limit), or null. */
  recordUsage?(documentId: string, usage: RequestTokens): Promise<string | null>;
}

/** The first pass of each generation mode. */
const FIRST_PASS: Record<DesignDocument["mode"], FirstPassStrategy> = { single: runSinglePass, parallel: runParallelPass };

/** What a job does: write (or continue) the first pass in the document's mode and then repair it, or repair a stored text. */
export type JobPlan = { kind: "pass" } | { kind: "repair"; record: RepairRecord; drafts: readonly RepairDraft[] };

function finalReport(markdown: string, typecheck: TypecheckResult | null): SectionReport | null {
  try {
    return analyzeSections(markdown, { final: true, typecheck: typecheck ?? undefined });
  } catch (error) {
    console.error("section analysis failed", error);
    return null;
  }
}

interface StageEnd {
  status: FinalStatus;
  error: string | null;
  markdown: string;
  version: number;
  report: SectionReport | null;
  repair?: RepairRecord | null;
  repairDrafts?: RepairDraft[];
}

const INTERNAL_ERROR = "The generation stopped because of an internal error; the text so far is kept.";

/**
 * The running jobs of this process. A job runs on the server whether or not anyone watches it:
 * the first pass in the document's mode (one stream, or an outline and then the sections in
 * parallel; checkpointed to the store at least every CHECKPOINT_INTERVAL_MS), its type check,
 * then the repair of the assembled document's unsatisfied sections (lib/generation/repair), and
 * it writes its final state before it tells its readers it has ended.
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

  /**
   * Starts a job for a document stored as running: `generating` (its markdown is the prefix to
   * continue from) or, for a repair, `repairing` (its markdown is the version to repair).
   */
  start(document: DesignDocument, plan: JobPlan = { kind: "pass" }): GenerationJob {
    if (this.jobs.has(document.id)) throw new Error(`document ${document.id} is already generating`);
    const job = new GenerationJob(document.id, {
      text: document.markdown,
      continuations: document.continuations,
      version: document.version,
      tokens: { inputTokens: document.inputTokens, outputTokens: document.outputTokens },
    });
    this.jobs.set(job.id, job);
    void this.run(job, document, plan);
    return job;
  }

  /** Stops a running job (every open model request) and waits until its final state is stored. False when it was not running. */
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

  private typecheck(markdown: string): Promise<TypecheckResult> {
    return this.deps.typecheck ? this.deps.typecheck(markdown) : typecheckDocument(markdown);
  }

  private async run(job: GenerationJob, document: DesignDocument, plan: JobPlan): Promise<void> {
    const { store, config } = this.deps;
    let pendingWrite: Promise<unknown> = Promise.resolve();
    const write = (what: string, action: () => Promise<unknown>) => {
      pendingWrite = pendingWrite.then(action).catch((error: unknown) => console.error(`${what} of ${job.id} failed`, error));
    };
    const checkpoint = () => {
      // Every write carries the start's fence (`document`): a job that lost its document writes nothing.
      const pass = job.takeCheckpoint();
      if (pass) write("checkpoint", () => store.checkpoint(document, pass.text, pass.continuations, pass.parallel));
      const repair = job.takeRepairCheckpoint();
      if (repair) write("repair checkpoint", () => store.checkpointRepair(document, repair.repair, repair.drafts));
    };
    const checkpointTimer = setInterval(checkpoint, config.checkpointIntervalMs);

    let end: StageEnd;
    try {
      // The pass's last state (parallel mode: its parts) is written before its repair begins.
      end = await this.stages(job, document, plan, () => (checkpoint(), pendingWrite));
    } catch (error) {
      console.error(`job ${job.id} crashed`, error);
      end = {
        status: "failed",
        error: INTERNAL_ERROR,
        markdown: job.markdown,
        version: job.version,
        report: null,
      };
    } finally {
      clearInterval(checkpointTimer);
    }

    // 4. The final write, then readers hear `end`.
    await pendingWrite;
    try {
      // Parallel mode: the parts as the first pass left them (a repair changes the assembled text only).
      await store.finish(document, { ...end, continuations: job.continuations, parallel: job.sideState?.snapshot() });
    } catch (storeError) {
      console.error(`final write of ${job.id} failed`, storeError);
    }
    this.jobs.delete(job.id);
    job.end(end.status, end.error);
  }

  /** 1. the first pass, 2. its type check, 3. the repair rounds: what the final write stores. */
  private async stages(job: GenerationJob, document: DesignDocument, plan: JobPlan, flushWrites: () => Promise<unknown>): Promise<StageEnd> {
    const { store } = this.deps;
    // 1. The first pass (a repair job starts from a stored version instead).
    let repair: { record: RepairRecord; drafts: readonly RepairDraft[]; typecheck: TypecheckResult | null };
    if (plan.kind === "pass") {
      const pass = await this.firstPass(job, document);
      await flushWrites();
      // 2. Its type check, before the final report is stored and readers get `end`.
      const typecheck = await typecheckFinishedDocument(job.text, pass.status);
      job.recordTypecheck(typecheck);
      const report = finalReport(job.text, typecheck);
      if (job.text) await this.savePassVersion(job, document, report);
      const record = pass.status === "complete" ? this.autoRepairRecord(job, report, pass) : null;
      const passEnd: StageEnd = { status: pass.status, error: pass.error, markdown: job.text, version: job.passVersion, report };
      if (!record) return passEnd;
      // The same start goes on (same fence): `generating` becomes `repairing`.
      const started = await store.beginRepair(document, {
        markdown: job.text,
        report,
        version: job.passVersion,
        passVersion: job.passVersion,
        repair: record,
        continuations: job.continuations,
        drafts: [],
      });
      if (!started) return passEnd;
      repair = { record, drafts: [], typecheck };
    } else {
      const stored = document.report?.typecheck;
      const typecheck = stored && stored.checkedLength === job.text.length ? stored : await this.typecheck(job.text);
      job.recordTypecheck(typecheck);
      repair = { record: plan.record, drafts: plan.drafts, typecheck };
    }

    // 3. The repair rounds.
    job.beginRepair(repair.record, repair.drafts);
    const result = await runRepairStage(this.repairContext(job, document), {
      markdown: job.text,
      version: job.version,
      typecheck: repair.typecheck,
      record: repair.record,
      drafts: repair.drafts,
    });
    const status: FinalStatus = job.interruption ? "interrupted" : result.stopped ? "cancelled" : "complete";
    return {
      status,
      error: job.interruption ?? (status === "cancelled" ? "Stopped by the user while sections were being repaired; Continue resumes the repair." : null),
      markdown: result.markdown,
      version: result.version,
      report: result.report,
      repair: result.record,
      repairDrafts: result.stopped ? job.repairDrafts : [],
    };
  }

  /**
   * The first pass, written by the strategy of the document's mode (continued from its text, or
   * its unfinished parts). How it ends: a spend limit it reached stops it (its open requests too)
   * and fails it with the reason, unless the model had already finished.
   */
  private async firstPass(job: GenerationJob, document: DesignDocument): Promise<{ status: FinalStatus; error: string | null; usage: TokenUsage; ms: number }> {
    const started = Date.now();
    const spend = this.spend(job);
    let usage = NO_USAGE;
    let outcome: FirstPassResult;
    try {
      outcome = await FIRST_PASS[document.mode]({
        job,
        document,
        model: this.deps.resolveModel(document),
        prompt: this.deps.prompts[document.promptStyle],
        config: this.deps.config,
        onUsage: async (requestUsage) => {
          usage = addUsage(usage, tokenUsage(requestUsage));
          await spend.onUsage(requestUsage);
        },
      });
    } catch (error) {
      console.error(`generation ${job.id} crashed`, error);
      outcome = { status: "failed", continuations: 0, markdown: job.text, error: INTERNAL_ERROR };
    }
    // A spend limit only stops the next request: a model that had finished still completes the document.
    const limit = outcome.status === "cancelled" ? job.limitReached : null;
    const status: FinalStatus = job.interruption ? "interrupted" : limit ? "failed" : outcome.status;
    const error = job.interruption ?? limit ?? (outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Stopped by the user." : null);
    return { status, error, usage, ms: Date.now() - started };
  }

  /**
   * The one path of what a job's model requests spend — the first pass's (every part's, in
   * parallel mode) and every repair request's: each reports its usage here (the job's `tokens`,
   * and stored per document and per UTC day), and none starts once a spend limit is reached
   * (lib/documents/token-budget.ts).
   */
  private spend(job: GenerationJob): RequestSpend {
    return {
      onUsage: async (usage: LanguageModelUsage) => {
        const tokens = requestTokens(usage);
        job.addTokens(tokens.input, tokens.output);
        const stop = await this.deps.recordUsage?.(job.id, tokens).catch((error: unknown) => {
          console.error(`recording token usage of ${job.id} failed`, error);
          return null;
        });
        if (stop) job.stopForLimit(stop);
      },
      stopReason: () => job.limitReached,
    };
  }

  /** The automatic repair after a complete first pass, when it is on and a section is not satisfied. */
  private autoRepairRecord(job: GenerationJob, report: SectionReport | null, pass: { usage: TokenUsage; ms: number }): RepairRecord | null {
    const { config } = this.deps;
    if (!config.repair || config.maxRepairRounds === 0 || !report || sectionsToRepair(report, null).length === 0) return null;
    // A spend limit reached by the first pass's last request: no repair request could start.
    if (job.limitReached) return null;
    return newRepairRecord({ trigger: "auto", target: null, maxRounds: config.maxRepairRounds, fromVersion: job.passVersion, firstPass: { usage: pass.usage, ms: pass.ms } });
  }

  private async savePassVersion(job: GenerationJob, document: DesignDocument, report: SectionReport | null): Promise<void> {
    try {
      await this.deps.store.saveVersion(document, {
        version: job.passVersion,
        createdAt: new Date().toISOString(),
        reason: job.passVersion === 1 ? "First pass" : "Generated again from the start",
        satisfied: report?.satisfied ?? null,
        markdown: job.text,
      });
    } catch (error) {
      console.error(`version write of ${job.id} failed`, error);
    }
  }

  private repairContext(job: GenerationJob, document: DesignDocument): RepairContext {
    const { config, store } = this.deps;
    return {
      job,
      model: this.deps.resolveModel(document),
      topic: document.topic,
      promptStyle: document.promptStyle,
      settings: config,
      spend: this.spend(job),
      concurrency: config.repairConcurrency,
      typecheck: (markdown) => this.typecheck(markdown),
      saveVersion: (version, report, record) => store.acceptVersion(document, version, report, record),
    };
  }
}
