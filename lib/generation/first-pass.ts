import "server-only";
import type { LanguageModel, LanguageModelUsage } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import type { DesignDocument } from "@/lib/documents/types";
import type { MasterPrompt } from "@/lib/prompts/master-prompt";
import type { GenerationJob } from "./job";
import type { ModelStreamOutcome } from "./run-model-stream";

/** What a first-pass strategy is given: the job it writes into, and the one path every model request's usage takes. */
export interface FirstPassContext {
  job: GenerationJob;
  /** The document as this start of its generation found it (Continue: its partial text and parts). */
  document: DesignDocument;
  model: LanguageModel;
  /** The master prompt of the document's style. */
  prompt: MasterPrompt;
  config: StudioConfig;
  /**
   * Every model request, when it finishes, reports what the provider says it used: the tokens are
   * counted toward the spend limits (a reached limit aborts the job before its next request).
   */
  onUsage(usage: LanguageModelUsage): Promise<void>;
}

/** How the first pass ended, and the document it wrote (the job's text: the parts in order, in parallel mode). */
export type FirstPassResult = ModelStreamOutcome & { markdown: string };

/** A way of writing a document's first pass: one stream (`single`) or outline then sections (`parallel`). */
export type FirstPassStrategy = (context: FirstPassContext) => Promise<FirstPassResult>;
