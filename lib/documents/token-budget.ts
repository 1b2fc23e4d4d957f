import type { StudioConfig } from "@/lib/config/env";
import { DocumentError } from "./document-error";

/**
 * The spend limits: MAX_TOKENS_PER_DOCUMENT (all requests of one document: continuations,
 * retries, repairs) and DAILY_TOKEN_BUDGET (the whole server, per UTC day). Usage is what the
 * provider reports at the end of each model request, so a request in flight always finishes:
 * the limits stop the next request, and a document can exceed its limit by at most one request.
 */
export type SpendLimits = Pick<StudioConfig, "maxTokensPerDocument" | "dailyTokenBudget">;

/** One model request's tokens, as the provider reported them. */
export interface RequestTokens {
  input: number;
  output: number;
  /** What the limits count: the provider's total (it may count more than input + output), else their sum. */
  total: number;
}

/** The UTC day usage is counted in, YYYY-MM-DD. */
export function utcDay(at = new Date()): string {
  return at.toISOString().slice(0, 10);
}

function secondsUntilNextUtcDay(at = new Date()): number {
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}

function documentLimitMessage(used: number, limit: number): string {
  return `This document has used ${used.toLocaleString("en-US")} model tokens, its limit (MAX_TOKENS_PER_DOCUMENT is ${limit.toLocaleString("en-US")}). The text so far is kept; generate a new document to spend more.`;
}

function dailyBudgetMessage(used: number, limit: number): string {
  return `The server has used ${used.toLocaleString("en-US")} model tokens today, its daily budget (DAILY_TOKEN_BUDGET is ${limit.toLocaleString("en-US")}). The text so far is kept; generation resumes after midnight UTC.`;
}

/** Refuses to start a model request when a limit is already reached. */
export function requireTokensAvailable(limits: SpendLimits, usage: { document: number; today: number }): void {
  // An unset limit is never reached.
  const dailyBudget = limits.dailyTokenBudget ?? Infinity;
  const documentLimit = limits.maxTokensPerDocument ?? Infinity;
  if (usage.today >= dailyBudget) {
    throw new DocumentError("token_budget_exhausted", dailyBudgetMessage(usage.today, dailyBudget), secondsUntilNextUtcDay());
  }
  if (usage.document >= documentLimit) {
    throw new DocumentError("document_token_limit", documentLimitMessage(usage.document, documentLimit));
  }
}

/** After a request's usage is recorded: why the next request must not start, or null. */
export function spendStopReason(limits: SpendLimits, usage: { document: number; today: number }): string | null {
  try {
    requireTokensAvailable(limits, usage);
    return null;
  } catch (error) {
    return (error as DocumentError).message;
  }
}
