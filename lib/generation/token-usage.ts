import "server-only";
import type { LanguageModelUsage } from "ai";
import type { TokenUsage } from "@/lib/repair/record";

/** A request's usage as the repair record keeps it (a provider that omits a count reports 0). */
export function tokenUsage(usage: LanguageModelUsage): TokenUsage {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}

/** What a request counts against the spend limits: its total, or input + output when the provider gives no total. */
export function spentTokens(usage: LanguageModelUsage): number {
  return usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
}
