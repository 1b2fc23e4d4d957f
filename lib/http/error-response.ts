import { DocumentError, type DocumentErrorCode } from "@/lib/documents/document-error";
import { HttpError } from "./http-error";

/** The one place that knows which HTTP status each domain refusal gets. */
const STATUS_BY_CODE: Record<DocumentErrorCode, number> = {
  not_found: 404,
  invalid_topic: 400,
  invalid_model: 400,
  invalid_mode: 400,
  invalid_section: 400,
  not_parallel: 409,
  invalid_request: 400,
  unknown_model: 400,
  provider_not_configured: 503,
  too_many_generations: 429,
  rate_limited: 429,
  already_generating: 409,
  not_resumable: 409,
  not_repairable: 409,
  nothing_to_repair: 409,
  forbidden: 403,
  token_budget_exhausted: 429,
  document_token_limit: 409,
};

function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** `{"error": {"code", "message"}}` with the right status; anything unexpected is a 500 without details. */
function errorResponse(error: unknown): Response {
  if (error instanceof DocumentError) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { "Retry-After": String(error.retryAfterSeconds) };
    return jsonError(STATUS_BY_CODE[error.code], error.code, error.message, headers);
  }
  if (error instanceof HttpError) return jsonError(error.status, error.code, error.message, error.headers);
  console.error(error);
  return jsonError(500, "internal_error", "Something went wrong on the server. Nothing was lost; try again.");
}

/** Wraps a route handler so every failure is a JSON error, never a stack trace. */
export function withApiErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
