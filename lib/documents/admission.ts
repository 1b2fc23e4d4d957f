import "server-only";
import type { StudioConfig } from "@/lib/config/env";
import { type AdmissionLedger, InProcessAdmissionLedger, type SharedCreation } from "./admission-ledger";
import { DocumentError } from "./document-error";
import { requireTokensAvailable, type SpendLimits, utcDay } from "./token-budget";
import type { DesignDocument } from "./types";

/** How long a client refused by the concurrency cap is asked to wait: a typical generation's remaining time. */
export const CONCURRENCY_RETRY_AFTER_SECONDS = 30;
/** The window of RATE_LIMIT_PER_HOUR. */
export const RATE_LIMIT_WINDOW_MS = 3_600_000;

/** The fields that decide which document a generation writes. */
export type GenerationKeyFields = Pick<DesignDocument, "topicKey" | "model" | "promptStyle" | "promptVersion" | "mode">;

/** Same topic, model, prompt style, prompt version and generation mode: the same document would be written. */
export function generationKey(document: GenerationKeyFields): string {
  return [document.topicKey, document.model, document.promptStyle, document.promptVersion, document.mode].join("\u0000");
}

/** Identical requests are only ever shared within one scope (one client, or the signed-in users). */
function scopedKey(scope: string, key: string): string {
  return `${scope}\u0001${key}`;
}

export interface AdmissionDependencies {
  config: Pick<StudioConfig, "maxConcurrentGenerations" | "rateLimitPerHour"> & SpendLimits;
  /** Generations running (or waiting to run) now: in this process, or with Redis on every instance. */
  activeGenerations(): number | Promise<number>;
  /** Generations this client started (creations and repairs by hand) since `sinceIso`, and the oldest of them. */
  countStartsSince(clientKey: string, sinceIso: string): Promise<{ count: number; oldest: string | null }>;
  /** Records a start that counts against RATE_LIMIT_PER_HOUR. */
  recordStart(clientKey: string, kind: GenerationStartKind, documentId: string): Promise<void>;
  /** Model tokens used on a UTC day (DAILY_TOKEN_BUDGET). */
  tokensUsedOn(day: string): Promise<number>;
  /** Where running and pending generations are recorded; in-process unless given (Redis shares it between instances). */
  ledger?: AdmissionLedger;
}

/** What RATE_LIMIT_PER_HOUR counts: a new document, or a repair asked for by hand (each calls the model). */
export type GenerationStartKind = "create" | "repair";

/**
 * Who may start a generation, and which requests are the same generation. The one owner of the
 * concurrency cap, the per-client rate limit, the spend limits checked before a generation
 * starts, and the coalescing of identical requests (those running, and those still being
 * created) within one requester scope, so create, continue and retry cannot disagree on them.
 */
export class GenerationAdmission {
  private readonly ledger: AdmissionLedger;

  constructor(private readonly deps: AdmissionDependencies) {
    this.ledger = deps.ledger ?? new InProcessAdmissionLedger();
  }

  /**
   * Refuses when the server runs as many generations as it may, the client has used its hourly
   * allowance (`clientKey` null: not counted), or a spend limit is reached (`tokensUsed`: what
   * the document has used so far).
   */
  async admit(clientKey: string | null, tokensUsed = 0): Promise<void> {
    const { config } = this.deps;
    const active = await this.deps.activeGenerations();
    if (active >= config.maxConcurrentGenerations) {
      throw new DocumentError(
        "too_many_generations",
        `${active} documents are being generated right now, the most this server runs at once (MAX_CONCURRENT_GENERATIONS). Try again in a minute.`,
        CONCURRENCY_RETRY_AFTER_SECONDS,
      );
    }
    const today = config.dailyTokenBudget === undefined ? 0 : await this.deps.tokensUsedOn(utcDay());
    requireTokensAvailable(config, { document: tokensUsed, today });
    if (clientKey === null) return;
    const windowStart = Date.now() - RATE_LIMIT_WINDOW_MS;
    const { count, oldest } = await this.deps.countStartsSince(clientKey, new Date(windowStart).toISOString());
    if (count >= config.rateLimitPerHour) {
      const retryAfter = oldest ? Math.max(1, Math.ceil((Date.parse(oldest) - windowStart) / 1000)) : RATE_LIMIT_WINDOW_MS / 1000;
      throw new DocumentError(
        "rate_limited",
        `You have started ${count} generations (new documents and repairs) in the last hour, the limit (RATE_LIMIT_PER_HOUR). Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
        retryAfter,
      );
    }
  }

  /** Counts a creation or a repair by hand against the client's hourly allowance. */
  async recordStart(clientKey: string | null, kind: GenerationStartKind, documentId: string): Promise<void> {
    if (clientKey !== null) await this.deps.recordStart(clientKey, kind, documentId);
  }

  /** The id of the running generation with this key in this scope, if any. */
  runningDocumentId(scope: string, key: string): Promise<string | undefined> {
    return this.ledger.runningDocumentId(scopedKey(scope, key));
  }

  /** Identical requests from the document's scope attach to this generation until `done`; a document without a scope is never shared. */
  async trackRunning(document: Pick<DesignDocument, "id" | "ownerScope"> & GenerationKeyFields, done?: Promise<void>): Promise<void> {
    if (document.ownerScope === null) return;
    await this.ledger.trackRunning(scopedKey(document.ownerScope, generationKey(document)), document.id, done);
  }

  /**
   * Identical requests from one scope arriving together share one creation: the check and the
   * reservation are one step of the ledger. `shared` tells a caller it joined another's creation.
   */
  shareCreation<T extends { document: DesignDocument }>(scope: string, key: string, create: () => Promise<T>): Promise<SharedCreation<T>> {
    return this.ledger.shareCreation(scopedKey(scope, key), create);
  }
}
