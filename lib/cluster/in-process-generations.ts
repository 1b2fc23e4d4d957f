import "server-only";
import type { StudioConfig } from "@/lib/config/env";
import { liveJobSource } from "@/lib/documents/live-job-source";
import { continueParts } from "@/lib/documents/parallel-restart";
import { repairRestartState, stoppedRepair } from "@/lib/documents/repair-restart";
import type { DesignDocument } from "@/lib/documents/types";
import type { GenerationRegistry, JobPlan } from "@/lib/generation/registry";
import type { DocumentStore } from "@/lib/store/document-store";
import type { Generations, LiveGeneration } from "./generations";
import { INTERRUPTED_MESSAGE, RESUMES_AFTER_RESTART_MESSAGE } from "./messages";
import { storedPlan } from "./stored-plan";

interface Waiting {
  document: DesignDocument;
  plan: JobPlan;
}

/**
 * One instance, no services: generations run in this process, readers follow the in-memory job.
 * A restart resumes what the previous process left `generating` (AUTO_RESUME=1): the resumed
 * generations wait for a slot under MAX_CONCURRENT_GENERATIONS and count against it while they
 * wait, but not against any client's rate limit.
 */
export class InProcessGenerations implements Generations {
  /** Generations to resume, waiting for a slot. */
  private readonly waiting: Waiting[] = [];

  constructor(
    private readonly deps: {
      registry: GenerationRegistry;
      store: DocumentStore;
      config: Pick<StudioConfig, "autoResume" | "maxConcurrentGenerations">;
      instance: string;
      /** Messages shown to readers (a provider's error can quote a key). */
      redact(text: string): string;
    },
  ) {}

  async start(document: DesignDocument, plan: JobPlan = { kind: "pass" }): Promise<{ done: Promise<void> }> {
    // The previous job of this document may still be between its final write and leaving the registry.
    await this.deps.registry.get(document.id)?.done;
    return { done: this.launch({ document, plan }) };
  }

  private launch({ document, plan }: Waiting): Promise<void> {
    const job = this.deps.registry.start(document, plan);
    void job.done.then(() => this.startWaiting());
    return job.done;
  }

  async cancel(id: string): Promise<boolean> {
    const index = this.waiting.findIndex((waiting) => waiting.document.id === id);
    if (index !== -1) {
      // Not started yet: start it stopped, so its final state is stored the one way every job's is.
      const [waiting] = this.waiting.splice(index, 1);
      this.deps.registry.start(waiting!.document, waiting!.plan).cancel();
    }
    return this.deps.registry.cancel(id);
  }

  async live(id: string): Promise<LiveGeneration | null> {
    const job = this.deps.registry.get(id);
    return job
      ? { instance: this.deps.instance, status: job.status, markdown: job.markdown, version: job.version, continuations: job.continuations, repair: job.repair }
      : null;
  }

  async follow(id: string, from: number) {
    const job = this.deps.registry.get(id);
    return job ? liveJobSource(job, from, this.deps.redact) : null;
  }

  async activeCount(): Promise<number> {
    return this.deps.registry.activeCount + this.waiting.length;
  }

  get activeHere(): number {
    return this.deps.registry.activeCount;
  }

  /**
   * This process has no jobs yet, so every `generating` row belongs to a process that died; rows a
   * graceful stop left `interrupted` for the restart are resumed too.
   */
  async recover(): Promise<void> {
    const { store, config } = this.deps;
    if (!config.autoResume) {
      await store.markInterrupted(INTERRUPTED_MESSAGE);
      return;
    }
    const orphans = await store.listUnfinished(new Date(Date.now() + 60_000).toISOString(), RESUMES_AFTER_RESTART_MESSAGE);
    for (const document of orphans) {
      const resumed = await this.resume(document);
      if (resumed) this.waiting.push(resumed);
    }
    if (this.waiting.length > 0) console.log(`AUTO_RESUME: ${this.waiting.length} unfinished generation(s) resume as slots free up`);
    this.startWaiting();
  }

  /**
   * One document nobody runs: a running row (its process died) is claimed and resumed as it was —
   * a repair from its stored record and drafts; an `interrupted` one (a graceful stop) is started
   * again as Continue starts it: a stopped repair resumes, else the first pass from its text.
   */
  private async resume(document: DesignDocument): Promise<Waiting | null> {
    const { store } = this.deps;
    if (document.status === "repairing" || document.status === "generating") {
      const plan = storedPlan(document);
      if (!plan) {
        await store.interrupt(document, INTERRUPTED_MESSAGE);
        return null;
      }
      const state = document.status === "generating" && document.mode === "parallel" ? continueParts(document) : { markdown: document.markdown, parallel: document.parallel };
      // A new fence: should the previous process still be alive after all, its writes are refused.
      const fence = await store.claim(document);
      if (fence === null) return null;
      return { document: { ...document, ...state, error: null, fence }, plan };
    }
    const repair = stoppedRepair(document);
    if (repair) {
      const fence = await store.restart(document, repairRestartState(document, repair));
      if (fence === null) return null;
      return {
        document: { ...document, fence, status: "repairing", error: null, passVersion: document.version },
        plan: { kind: "repair", record: repair, drafts: document.repairDrafts },
      };
    }
    // Parallel mode resumes as Continue does: every unfinished part is written again from its text.
    const state = document.mode === "parallel" ? continueParts(document) : { markdown: document.markdown, parallel: document.parallel };
    const fence = await store.restart(document, { ...state, continuations: document.continuations });
    if (fence === null) return null;
    return { document: { ...document, ...state, status: "generating", error: null, fence }, plan: { kind: "pass" } };
  }

  async shutdown(): Promise<void> {
    await this.deps.registry.interruptAll(this.deps.config.autoResume ? RESUMES_AFTER_RESTART_MESSAGE : INTERRUPTED_MESSAGE);
  }

  async health() {
    return "not configured" as const;
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.deps.registry.activeCount < this.deps.config.maxConcurrentGenerations) {
      this.launch(this.waiting.shift()!);
    }
  }
}
