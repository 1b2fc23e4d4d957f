import "server-only";
import type { LanguageModelUsage } from "ai";
import type { RequestTokens } from "@/lib/documents/token-budget";
import type { TokenUsage } from "@/lib/repair/record";

/** A request's usage as the repair record keeps it (a provider that omits a count reports 0). */
export function tokenUsage(usage: LanguageModelUsage): TokenUsage {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}

/** A request's usage as counted against the spend limits: the provider's total when it gives one, else input + output. */
export function requestTokens(usage: LanguageModelUsage): RequestTokens {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return { input, output, total: usage.totalTokens ?? input + output };
}
