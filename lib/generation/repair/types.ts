import "server-only";
import type { LanguageModel, LanguageModelUsage } from "ai";
import type { DocumentVersion } from "@/lib/documents/versions";
import type { PromptStyle } from "@/lib/prompts/style";
import type { RepairRecord } from "@/lib/repair/record";
import type { SectionReport } from "@/lib/sections/types";
import type { TypecheckResult } from "@/lib/typecheck/result";
import type { GenerationJob } from "../job";

/** How each repair request streams: the same settings as the first pass. */
export interface RepairStreamSettings {
  maxOutputTokens: number | undefined;
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  maxContinuations: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
}

/**
 * The job's one path for what its model requests spend (the registry's): every request reports
 * its usage there (MAX_TOKENS_PER_DOCUMENT, DAILY_TOKEN_BUDGET), and asks it before it starts.
 */
export interface RequestSpend {
  onUsage(usage: LanguageModelUsage): Promise<void>;
  /** Why no further request may start (a spend limit is reached), or null. */
  stopReason(): string | null;
}

/** Everything a repair needs from its job and the server. */
export interface RepairContext {
  job: GenerationJob;
  model: LanguageModel;
  topic: string;
  promptStyle: PromptStyle;
  settings: RepairStreamSettings;
  spend: RequestSpend;
  /** Sections repaired at once (REPAIR_CONCURRENCY). */
  concurrency: number;
  /** Type-checks a whole document (the warm worker; tests inject their own). */
  typecheck(markdown: string): Promise<TypecheckResult>;
  /** Stores an accepted round's version (the document moves to it); the store refuses it from a start that lost the document. */
  saveVersion(version: DocumentVersion, report: SectionReport, record: RepairRecord): Promise<unknown>;
}

/** The document a round repairs, with its reports. */
export interface RoundBase {
  markdown: string;
  version: number;
  typecheck: TypecheckResult | null;
  /** Final report with the type check (section 5's item judged). */
  checkedReport: SectionReport;
  /** Final report without it (section 5's item pending): what other sections' replacements are compared with. */
  plainReport: SectionReport;
}
