import "server-only";
import type { GenerationJob, JobEvent } from "@/lib/generation/job";
import { redactRepairRecord } from "@/lib/repair/record";
import type { EventLog, PendingEvent } from "./event-log";

const RETRY_MS = 100;

/**
 * Writes every event of a running job into the document's shared log, in order, with the
 * owner's fence. One append is in flight at a time; what arrives meanwhile goes in the next
 * one (consecutive text merged), so the log keeps up under load without a timer. A refused
 * append means another instance owns the generation now: the job is stopped (`onLeaseLost`)
 * and nothing more is written. The job's state beside the text goes in first — tokens, and in
 * parallel mode the outline and every part's state, and for a new start's first owner (`all`)
 * every part's text — as a reader attached to the job in its own process would be sent it, so
 * the log alone holds everything readers on any instance need. Every message that quotes a
 * provider is redacted before it reaches Redis, as lib/documents/live-job-source.ts redacts it for
 * readers in the job's own process: an `end`'s error, a parallel part's error, a repair's reasons.
 */
export class JobLogWriter {
  /** Events not yet written; text kept raw (serialised when written) so merging stays cheap. */
  private readonly queue: (PendingEvent & { delta?: string })[] = [];
  private writing = false;
  private lost = false;
  private ended = false;
  private readonly redact: (text: string) => string;
  private resolveSettled!: () => void;
  /** Resolves once the job's `end` is in the log, or the lease was lost. */
  readonly settled: Promise<void> = new Promise((resolve) => (this.resolveSettled = resolve));

  constructor(
    private readonly log: EventLog,
    private readonly id: string,
    private readonly fence: number,
    job: GenerationJob,
    private readonly onLeaseLost: () => void,
    options: { replay: "all" | "states"; redact: (text: string) => string },
  ) {
    this.redact = options.redact;
    // Snapshot and subscribe in one synchronous turn: no event falls in between. A new owner of a
    // generation (`states`) finds the texts in the log already, but not the states its job has set.
    for (const event of job.stateEvents()) if (options.replay === "all" || event.type !== "section-text") this.push(event);
    job.subscribe((event) => this.push(event));
  }

  get leaseLost(): boolean {
    return this.lost;
  }

  private push(event: JobEvent): void {
    if (this.lost || this.ended) return;
    if (event.type === "text") {
      const last = this.queue.at(-1);
      if (last?.type === "text" && last.end === event.offset - event.delta.length) {
        last.delta += event.delta;
        last.end = event.offset;
      } else {
        this.queue.push({ type: "text", delta: event.delta, data: "", start: event.offset - event.delta.length, end: event.offset });
      }
    } else {
      if (event.type === "end") this.ended = true;
      const stored = this.redacted(event);
      this.queue.push({ type: event.type, data: JSON.stringify(stored), start: 0, end: 0 });
    }
    if (!this.writing) void this.write();
  }

  private redacted(event: Exclude<JobEvent, { type: "text" }>): Exclude<JobEvent, { type: "text" }> {
    if (event.type === "end" && event.error !== null) return { ...event, error: this.redact(event.error) };
    if (event.type === "section-state" && event.error !== null) return { ...event, error: this.redact(event.error) };
    if (event.type === "repair") return { type: "repair", repair: redactRepairRecord(event.repair, this.redact) };
    return event;
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0 && !this.lost) {
      const batch = this.queue.splice(0);
      for (const event of batch) if (event.delta !== undefined) event.data = JSON.stringify(event.delta);
      try {
        const result = await this.log.append(this.id, this.fence, batch);
        if (result !== "ok") {
          this.lost = true;
          console.error(`generation ${this.id}: the shared log refused fence ${this.fence} (${result}); stopping this copy`);
          this.onLeaseLost();
        }
      } catch (error) {
        // Redis unreachable for a moment: keep the order, try again (ioredis reconnects).
        this.queue.unshift(...batch);
        console.error(`generation ${this.id}: writing the shared log failed, retrying`, error instanceof Error ? error.message : error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
    this.writing = false;
    if (this.lost || (this.ended && this.queue.length === 0)) this.resolveSettled();
  }
}
