import "server-only";
import type { StudioConfig } from "@/lib/config/env";
import { liveJobSource } from "@/lib/documents/live-job-source";
import { continueParts } from "@/lib/documents/parallel-restart";
import type { DesignDocument } from "@/lib/documents/types";
import type { GenerationRegistry } from "@/lib/generation/registry";
import type { DocumentStore } from "@/lib/store/document-store";
import type { Generations, LiveGeneration } from "./generations";
import { INTERRUPTED_MESSAGE, RESUMES_AFTER_RESTART_MESSAGE } from "./messages";

/**
 * One instance, no services: generations run in this process, readers follow the in-memory job.
 * A restart resumes what the previous process left `generating` (AUTO_RESUME=1): the resumed
 * generations wait for a slot under MAX_CONCURRENT_GENERATIONS and count against it while they
 * wait, but not against any client's rate limit.
 */
export class InProcessGenerations implements Generations {
  /** Generations to resume, waiting for a slot. */
  private readonly waiting: DesignDocument[] = [];

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

  async start(document: DesignDocument): Promise<{ done: Promise<void> }> {
    // The previous job of this document may still be between its final write and leaving the registry.
    await this.deps.registry.get(document.id)?.done;
    return { done: this.launch(document) };
  }

  private launch(document: DesignDocument): Promise<void> {
    const job = this.deps.registry.start(document);
    void job.done.then(() => this.startWaiting());
    return job.done;
  }

  async cancel(id: string): Promise<boolean> {
    const index = this.waiting.findIndex((document) => document.id === id);
    if (index !== -1) {
      // Not started yet: start it stopped, so its final state is stored the one way every job's is.
      const [document] = this.waiting.splice(index, 1);
      this.deps.registry.start(document!).cancel();
    }
    return this.deps.registry.cancel(id);
  }

  async live(id: string): Promise<LiveGeneration | null> {
    const job = this.deps.registry.get(id);
    return job ? { instance: this.deps.instance, markdown: job.text } : null;
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
      // Parallel mode resumes as Continue does: every unfinished part is written again from its text.
      const state = document.mode === "parallel" ? continueParts(document) : { markdown: document.markdown, parallel: document.parallel };
      // A new fence: should the previous process still be alive after all, its writes are refused.
      const fence =
        document.status === "generating" ? await store.claim(document) : await store.restart(document, { ...state, continuations: document.continuations });
      if (fence !== null) this.waiting.push({ ...document, ...state, status: "generating", error: null, fence });
    }
    if (this.waiting.length > 0) console.log(`AUTO_RESUME: ${this.waiting.length} unfinished generation(s) resume as slots free up`);
    this.startWaiting();
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
