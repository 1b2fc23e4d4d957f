import "server-only";
import type { LanguageModel, LanguageModelUsage } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import type { RequestTokens } from "@/lib/documents/token-budget";
import type { DesignDocument, FinalStatus } from "@/lib/documents/types";
import { passVersionReason, type DocumentVersion } from "@/lib/documents/versions";
import type { MasterPrompt } from "@/lib/prompts/master-prompt";
import type { PromptStyle } from "@/lib/prompts/style";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import { addUsage, NO_USAGE, type RepairDraft, type RepairRecord, type TokenUsage } from "@/lib/repair/record";
import { analyzeSections, type SectionReport } from "@/lib/sections/analyzer";
import type { DocumentStore, FinishedFields, GenerationRef } from "@/lib/store/document-store";
import { typecheckDocument, typecheckFinishedDocument } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { ActivityMix } from "./activity-mix";
import { type FirstPassResult, type FirstPassStrategy, requestLimits } from "./first-pass";
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

/** Checkpoints that fail in a row before the generation is stopped: storage is gone, not busy. */
export const CHECKPOINT_FAILURES_BEFORE_STOP = 3;
/** Waits between the attempts of a write that must not be lost (the final state, a version) before it counts as failed. */
const WRITE_RETRY_MS = [200, 800];
/** Backoff of the background writes of a final state that could not be stored. */
const UNSAVED_RETRY_MS = { first: 1_000, max: 30_000 };

/** The first pass of each generation mode. */
const FIRST_PASS: Record<DesignDocument["mode"], FirstPassStrategy> = { single: runSinglePass, parallel: runParallelPass };

/** What a job does: write (or continue) the first pass in the document's mode and then repair it, or repair a stored text. */
export type JobPlan = { kind: "pass" } | { kind: "repair"; record: RepairRecord; drafts: readonly RepairDraft[] };

function finalReport(markdown: string, typecheck: TypecheckResult | null): SectionReport | null {
  try {
    return analyzeSections(markdown, { final: true, typecheck: typecheck ?? undefined });
    // Stryker disable all: the analyzer takes any text; this guards a bug in it from losing the document.
  } catch (error) {
    console.error("section analysis failed", error);
    return null;
  }
  // Stryker restore all
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a write, retrying briefly; the last error when storage keeps refusing, else null. */
async function writeWithRetry(what: string, write: () => Promise<unknown>): Promise<unknown> {
  let lastError: unknown = null;
  for (const wait of [0, ...WRITE_RETRY_MS]) {
    // Stryker disable next-line ConditionalExpression: sleeping 0 ms first changes nothing a test (or a user) can see.
    if (wait) await sleep(wait);
    try {
      await write();
      return null;
    } catch (error) {
      console.error(`${what} failed`, error);
      lastError = error ?? new Error("unknown storage error");
    }
  }
  return lastError;
}

interface StageEnd {
  status: FinalStatus;
  error: string | null;
  markdown: string;
  version: number;
  report: SectionReport | null;
  repair?: RepairRecord | null;
  repairDrafts?: RepairDraft[];
  /** The first pass's version, which storage kept refusing: the job ends in the storage failure state, holding it. */
  unsavedVersion?: { version: DocumentVersion; error: unknown };
}

/** A final state this process holds in memory because storage refused it (with the first pass's version, when that was refused). */
interface UnsavedResult {
  job: GenerationJob;
  generation: GenerationRef;
  fields: FinishedFields;
  version: DocumentVersion | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const INTERNAL_ERROR = "The generation stopped because of an internal error; the text so far is kept.";

/**
 * The running jobs of this process. A job runs on the server whether or not anyone watches it:
 * the first pass in the document's mode (one stream, or an outline and then the sections in
 * parallel; checkpointed to the store at least every CHECKPOINT_INTERVAL_MS), its type check,
 * then the repair of the assembled document's unsatisfied sections (lib/generation/repair), and
 * it stores its final state before it tells its readers it has ended.
 *
 * Storage failures are states, not log lines: a failed checkpoint (of the pass or of the repair)
 * is written again at the next interval; checkpoints failing CHECKPOINT_FAILURES_BEFORE_STOP times
 * in a row stop the job, and so does a repair version that cannot be stored. A final state that
 * cannot be stored — or a first pass whose version cannot be — ends the job `failed` with a
 * storage message (never `complete`: nothing unsaved is announced as done) and is kept in memory
 * — served to readers, the API and Continue — and written again in the background (the version
 * first) until storage takes it.
 */
export class GenerationRegistry {
  private readonly jobs = new Map<string, GenerationJob>();
  private readonly unsaved = new Map<string, UnsavedResult>();

  constructor(private readonly deps: RegistryDependencies) {}

  /** The job this process holds for a document: running, or ended with a final state not stored yet. */
  get(id: string): GenerationJob | undefined {
    return this.jobs.get(id) ?? this.unsaved.get(id)?.job;
  }

  /** Jobs running now (not counting ended ones waiting for storage). */
  get activeCount(): number {
    return this.jobs.size;
  }

  /**
   * Starts a job for a document stored as running: `generating` (its markdown is the prefix to
   * continue from) or, for a repair, `repairing` (its markdown is the version to repair).
   */
  start(document: DesignDocument, plan: JobPlan = { kind: "pass" }): GenerationJob {
    if (this.jobs.has(document.id)) throw new Error(`document ${document.id} is already generating`);
    this.forgetUnsaved(document.id);
    const job = new GenerationJob(document.id, {
      text: document.markdown,
      continuations: document.continuations,
      version: document.version,
      tokens: { inputTokens: document.inputTokens, outputTokens: document.outputTokens },
      history: document.history,
    });
    this.jobs.set(job.id, job);
    void this.run(job, document, plan);
    return job;
  }

  /** Stops a running job (every open model request) and waits until its final state is stored (or held). False when it was not running. */
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
      // The version first: a document stored as ended always has the version its text is.
      if (entry.version) await this.deps.store.saveVersion(entry.generation, entry.version);
      entry.version = undefined;
      await this.deps.store.finish(entry.generation, entry.fields);
    } catch (error) {
      console.error(`storing the held state of ${id} failed again`, error);
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

  private typecheck(markdown: string): Promise<TypecheckResult> {
    return this.deps.typecheck ? this.deps.typecheck(markdown) : typecheckDocument(markdown);
  }

  private storageMessage(error: unknown): string {
    const detail = redactSecrets(error instanceof Error ? error.message : String(error), [this.deps.config.openaiApiKey]).replace(/\s+/g, " ").slice(0, 200);
    return `storage failed (${detail}). The text is kept in this server's memory and saved as soon as storage works again; then use Continue or Retry.`;
  }

  private async run(job: GenerationJob, document: DesignDocument, plan: JobPlan): Promise<void> {
    const { store, config } = this.deps;
    let pendingWrite: Promise<unknown> = Promise.resolve();
    let failuresInARow = 0;
    // Every write carries the start's fence (`document`): a job that lost its document writes nothing.
    const write = (what: string, action: () => Promise<unknown>, failed: () => void) => {
      pendingWrite = pendingWrite.then(action).then(
        () => {
          failuresInARow = 0;
        },
        (error: unknown) => {
          console.error(`${what} of ${job.id} failed`, error);
          failed();
          failuresInARow += 1;
          if (failuresInARow >= CHECKPOINT_FAILURES_BEFORE_STOP) {
            job.failStorage(`The generation was stopped: ${failuresInARow} checkpoints in a row could not be saved; ${this.storageMessage(error)}`);
          }
        },
      );
    };
    const checkpoint = () => {
      const pass = job.takeCheckpoint();
      if (pass) {
        write("checkpoint", () => store.checkpoint(document, pass.text, pass.continuations, { history: pass.history, parallel: pass.parallel }), () => job.checkpointFailed());
      }
      const repair = job.takeRepairCheckpoint();
      if (repair) {
        write("repair checkpoint", () => store.checkpointRepair(document, repair.repair, repair.drafts, repair.history), () => job.repairCheckpointFailed());
      }
    };
    const checkpointTimer = setInterval(checkpoint, config.checkpointIntervalMs);

    let end: StageEnd;
    try {
      // The pass's last state (parallel mode: its parts) is written before its repair begins.
      end = await this.stages(job, document, plan, () => (checkpoint(), pendingWrite));
    } catch (error) {
      console.error(`job ${job.id} crashed`, error);
      end = { status: "failed", error: INTERNAL_ERROR, markdown: job.markdown, version: job.version, report: null };
    } finally {
      clearInterval(checkpointTimer);
    }

    // 4. The final write, then readers hear `end`.
    await pendingWrite;
    const fields: FinishedFields = {
      ...end,
      continuations: job.continuations,
      history: [...job.history],
      // Parallel mode: the parts as the first pass left them (a repair changes the assembled text only).
      parallel: job.sideState?.snapshot(),
    };
    // A first pass whose version storage refused is not written as ended at all: its state is held like a refused final write.
    const storeError = end.unsavedVersion ? end.unsavedVersion.error : await writeWithRetry(`final write of ${job.id}`, () => store.finish(document, fields));
    this.jobs.delete(job.id);
    if (storeError === null) {
      job.end(end.status, end.error);
      return;
    }
    // Readers are told the truth: this document is not stored, so it is not complete.
    const message = `The document could not be saved: ${this.storageMessage(storeError)}${end.error && end.status !== "complete" ? ` (The generation itself ended ${end.status}: ${end.error})` : ""}`;
    const held: FinishedFields = { ...fields, status: "failed", error: message };
    this.unsaved.set(job.id, { job, generation: { id: document.id, fence: document.fence }, fields: held, version: end.unsavedVersion?.version, timer: undefined });
    job.end("failed", message);
    this.retryUnsaved(job.id, UNSAVED_RETRY_MS.first);
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
      const passEnd: StageEnd = { status: pass.status, error: pass.error, markdown: job.text, version: job.passVersion, report };
      if (job.text) {
        // Like a checkpoint that keeps failing, a version storage keeps refusing stops the job: it
        // ends in the storage failure state (never `complete` without its version, never repaired
        // from a version that is not stored), the version and the final state held until stored.
        const version = this.passVersionOf(job, document, report);
        const error = await writeWithRetry(`version write of ${job.id}`, () => this.deps.store.saveVersion(document, version));
        if (error !== null) return { ...passEnd, unsavedVersion: { version, error } };
      }
      const record = pass.status === "complete" ? this.autoRepairRecord(job, report, pass) : null;
      if (!record) return passEnd;
      // The same start goes on (same fence): `generating` becomes `repairing`.
      let started = false;
      const beginError = await writeWithRetry(`repair start of ${job.id}`, async () => {
        started = await store.beginRepair(document, {
          markdown: job.text,
          report,
          version: job.passVersion,
          passVersion: job.passVersion,
          repair: record,
          continuations: job.continuations,
          drafts: [],
        });
      });
      if (beginError !== null || !started) return passEnd;
      repair = { record, drafts: [], typecheck };
    } else {
      const stored = document.report?.typecheck;
      const typecheck = stored && stored.checkedLength === job.text.length ? stored : await this.typecheck(job.text);
      job.recordTypecheck(typecheck);
      repair = { record: plan.record, drafts: plan.drafts, typecheck };
    }

    // 3. The repair rounds.
    job.beginRepair(repair.record, repair.drafts);
    let result;
    try {
      result = await runRepairStage(this.repairContext(job, document), {
        markdown: job.text,
        version: job.version,
        typecheck: repair.typecheck,
        record: repair.record,
        drafts: repair.drafts,
      });
    } catch (error) {
      const stopped = job.stopped;
      if (!stopped) throw error;
      // Storage refused a version: the document stays at the last one stored, and Continue resumes the repair.
      const markdown = job.markdown;
      return {
        status: stopped.status,
        error: stopped.message,
        markdown,
        version: job.version,
        report: finalReport(markdown, job.typecheck),
        repair: job.repair && { ...job.repair, status: "stopped" },
        repairDrafts: job.repairDrafts,
      };
    }
    const stopped = job.stopped;
    const status: FinalStatus = stopped?.status ?? (result.stopped ? "cancelled" : "complete");
    return {
      status,
      error: stopped?.message ?? (status === "cancelled" ? "Stopped by the user while sections were being repaired; Continue resumes the repair." : null),
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
   * and fails it with the reason, unless the model had already finished; a stop by the server
   * (shutdown, storage gone) ends it with that status and message.
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
    const stopped = job.stopped;
    // A spend limit only stops the next request: a model that had finished still completes the document.
    const limit = outcome.status === "cancelled" ? job.limitReached : null;
    const status: FinalStatus = stopped?.status ?? (limit ? "failed" : outcome.status);
    const error = stopped?.message ?? limit ?? (outcome.status === "failed" ? outcome.error : outcome.status === "cancelled" ? "Stopped by the user." : null);
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

  /** The version the first pass's text is. */
  private passVersionOf(job: GenerationJob, document: DesignDocument, report: SectionReport | null): DocumentVersion {
    return {
      version: job.passVersion,
      createdAt: new Date().toISOString(),
      reason: passVersionReason({ passVersion: job.passVersion, passReason: document.passReason }),
      satisfied: report?.satisfied ?? null,
      markdown: job.text,
    };
  }

  private repairContext(job: GenerationJob, document: DesignDocument): RepairContext {
    const { config, store } = this.deps;
    return {
      job,
      model: this.deps.resolveModel(document),
      topic: document.topic,
      promptStyle: document.promptStyle,
      settings: requestLimits(config),
      spend: this.spend(job),
      concurrency: config.repairConcurrency,
      activity: new ActivityMix((activity) => job.setActivity(activity)),
      typecheck: (markdown) => this.typecheck(markdown),
      saveVersion: async (version, report, record) => {
        const error = await writeWithRetry(`version ${version.version} of ${job.id}`, () => store.acceptVersion(document, version, report, record));
        if (error === null) return;
        // The document stays at the last version stored; the job stops, and Continue repairs again.
        job.failStorage(`The repair was stopped: version ${version.version} could not be saved; ${this.storageMessage(error)}`);
        throw error;
      },
    };
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
