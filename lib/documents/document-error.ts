/**
 * What a document use case can refuse, in the domain's words. The codes are also the public
 * `error.code` of the HTTP API; only `lib/http/error-response.ts` knows which status each maps to.
 */
export type DocumentErrorCode =
  | "not_found"
  | "invalid_topic"
  | "invalid_model"
  | "invalid_mode"
  | "invalid_section"
  | "not_parallel"
  | "invalid_request"
  | "unknown_model"
  | "provider_not_configured"
  | "too_many_generations"
  | "rate_limited"
  | "already_generating"
  | "not_resumable"
  | "not_repairable"
  | "nothing_to_repair"
  | "forbidden"
  | "token_budget_exhausted"
  | "document_token_limit"
  | "storage_unavailable";

/** Marks DocumentErrors across copies of this module (Next.js may bundle it once per entry: instrumentation, each route). */
const DOCUMENT_ERROR = Symbol.for("design-doc-studio.DocumentError");

export class DocumentError extends Error {
  readonly [DOCUMENT_ERROR] = true;

  /** `instanceof` that also recognises a DocumentError thrown by another bundle's copy of this class. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[DOCUMENT_ERROR] === true;
  }

  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    /** How long a client should wait before trying again, for refusals that pass with time. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DocumentError";
  }
}
