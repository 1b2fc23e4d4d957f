import "server-only";
import { APICallError } from "ai";

/** A sentence a user can act on, never a stack trace. */
export function describeProviderError(error: unknown): string {
  // A failure while reading a 200 response's body is a lost connection, not an HTTP error.
  if (APICallError.isInstance(error) && (error.statusCode === undefined || error.statusCode < 300) && error.cause) {
    return describeProviderError(error.cause);
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ? `HTTP ${error.statusCode}` : "a failed request";
    const detail = error.message ? `: ${error.message}` : "";
    return `The model provider answered with ${status}${detail}`.slice(0, 500);
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown; cause?: { code?: unknown } })?.cause?.code ?? (error as { code?: unknown })?.code;
  if (/terminated|ECONNRESET|socket hang up|other side closed|fetch failed|network/i.test(`${message} ${String(code ?? "")}`)) {
    return "The connection to the model provider was lost before the document was finished.";
  }
  return `The model provider failed: ${message}`.slice(0, 500);
}

export function isRetryable(error: unknown): boolean {
  if (APICallError.isInstance(error)) return error.isRetryable;
  return true; // network-level failures (refused, reset before the first byte) are worth another try
}
