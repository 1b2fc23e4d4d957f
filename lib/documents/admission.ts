import "server-only";
import type { StudioConfig } from "@/lib/config/env";
import { type AdmissionLedger, InProcessAdmissionLedger, type SharedCreation } from "./admission-ledger";
import { DocumentError } from "./document-error";
import type { DesignDocument } from "./types";

/** How long a client refused by the concurrency cap is asked to wait: a typical generation's remaining time. */
export const CONCURRENCY_RETRY_AFTER_SECONDS = 30;
/** The window of RATE_LIMIT_PER_HOUR. */
export const RATE_LIMIT_WINDOW_MS = 3_600_000;

/** Same topic, model, prompt style and prompt version: the same document would be written. */
export function generationKey(document: Pick<DesignDocument, "topicKey" | "model" | "promptStyle" | "promptVersion">): string {
  return [document.topicKey, document.model, document.promptStyle, document.promptVersion].join("\u0000");
}

export interface AdmissionDependencies {
  config: Pick<StudioConfig, "maxConcurrentGenerations" | "rateLimitPerHour">;
  /** Generations running (or waiting to run) now: in this process, or with Redis on every instance. */
  activeGenerations(): number | Promise<number>;
  /** Documents this client created since `sinceIso`, and the oldest of them. */
  countCreatedSince(clientKey: string, sinceIso: string): Promise<{ count: number; oldest: string | null }>;
  /** Where running and pending generations are recorded; in-process unless given (Redis shares it between instances). */
  ledger?: AdmissionLedger;
}

/**
 * Who may start a generation, and which requests are the same generation. The one owner of the
 * concurrency cap, the per-client rate limit, and the coalescing of identical requests (those
 * running, and those still being created), so create, continue and retry cannot disagree on them.
 */
export class GenerationAdmission {
  private readonly ledger: AdmissionLedger;

  constructor(private readonly deps: AdmissionDependencies) {
    this.ledger = deps.ledger ?? new InProcessAdmissionLedger();
  }

  /** Refuses when the server runs as many generations as it may, or the client has used its hourly allowance. */
  async admit(clientKey: string | null): Promise<void> {
    const { config } = this.deps;
    const active = await this.deps.activeGenerations();
    if (active >= config.maxConcurrentGenerations) {
      throw new DocumentError(
        "too_many_generations",
        `${active} documents are being generated right now, the most this server runs at once (MAX_CONCURRENT_GENERATIONS). Try again in a minute.`,
        CONCURRENCY_RETRY_AFTER_SECONDS,
      );
    }
    if (clientKey === null) return;
    const windowStart = Date.now() - RATE_LIMIT_WINDOW_MS;
    const { count, oldest } = await this.deps.countCreatedSince(clientKey, new Date(windowStart).toISOString());
    if (count >= config.rateLimitPerHour) {
      const retryAfter = oldest ? Math.max(1, Math.ceil((Date.parse(oldest) - windowStart) / 1000)) : RATE_LIMIT_WINDOW_MS / 1000;
      throw new DocumentError(
        "rate_limited",
        `You have created ${count} documents in the last hour, the limit (RATE_LIMIT_PER_HOUR). Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
        retryAfter,
      );
    }
  }

  /** The id of the running generation with this key, if any. */
  runningDocumentId(key: string): Promise<string | undefined> {
    return this.ledger.runningDocumentId(key);
  }

  /** Identical requests attach to this generation until `done`. */
  trackRunning(key: string, id: string, done?: Promise<void>): Promise<void> {
    return this.ledger.trackRunning(key, id, done);
  }

  /**
   * Identical requests arriving together share one creation: the check and the reservation are
   * one step of the ledger. `shared` tells a caller it joined another's creation.
   */
  shareCreation<T extends { document: DesignDocument }>(key: string, create: () => Promise<T>): Promise<SharedCreation<T>> {
    return this.ledger.shareCreation(key, create);
  }
}
