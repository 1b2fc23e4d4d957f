import "server-only";
import type { DesignDocument, RunningStatus } from "@/lib/documents/types";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { JobPlan } from "@/lib/generation/registry";
import type { RepairRecord } from "@/lib/repair/record";

/** What readers of a running generation see now, wherever it runs. */
export interface LiveGeneration {
  /** The instance running it; null while it waits for one (queued, or between two owners). */
  instance: string | null;
  /** The latest text: the latest version a repair made, else everything readers have been sent of the pass (with Redis: the shared stream's text, not the last checkpoint). */
  markdown: string;
  /** The stage it is in, when known (else the stored status holds). */
  status?: RunningStatus;
  /** The version `markdown` is, when known (else the stored version). */
  version?: number;
  continuations?: number;
  /** The repair's latest state, when one runs. */
  repair?: RepairRecord | null;
}

/** `ok`, why Redis did not answer, or that this studio runs without it. */
export type RedisHealth = "ok" | "unreachable" | "timeout" | "not configured";

/**
 * Where generations run and how their readers follow them: the distribution layer around the
 * GenerationRegistry, which runs the whole pipeline of one document in this process. Two
 * implementations: in-process (one instance, the default) and Redis (several instances: BullMQ
 * jobs with leases, a Redis stream per document for the live fan-out).
 */
export interface Generations {
  /**
   * Starts the job of a document stored as running: `generating` (create, Continue, Retry) or
   * `repairing` (a repair by hand, Continue of a stopped repair). `plan` is what the job does;
   * with Redis the instance that runs it reads the same plan from the stored document.
   */
  start(document: DesignDocument, plan?: JobPlan): Promise<{ done?: Promise<void> }>;
  /** Stops a running generation (on whichever instance runs it) and waits until its final state is stored. False when none ran. */
  cancel(id: string): Promise<boolean>;
  /** The running generation of a document, or null when none runs. */
  live(id: string): Promise<LiveGeneration | null>;
  /** Events of a running generation from text offset `from`, or null when none runs (read the stored document). */
  follow(id: string, from: number): Promise<DocumentEventSource | null>;
  /** Generations running or waiting to run, everywhere: the concurrency cap counts these. */
  activeCount(): Promise<number>;
  /** Generations this instance runs now (GET /api/health). */
  readonly activeHere: number;
  /** Start-up: generations nobody runs any more are resumed (AUTO_RESUME=1) or stored `interrupted`. Live ones are left alone. */
  recover(): Promise<void>;
  /** Shutdown: this instance stops taking generations; the ones it runs are handed over or stored `interrupted`. */
  shutdown(): Promise<void>;
  health(): Promise<RedisHealth>;
}
