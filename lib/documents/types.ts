import type { PromptStyle } from "@/lib/prompts/style";
import type { GenerationMode } from "./generation-mode";
import type { ParallelProgress } from "./section-parts";
import type { SectionReport } from "@/lib/sections/analyzer";
import type { RepairDraft, RepairRecord } from "@/lib/repair/record";

export const DOCUMENT_STATUSES = ["generating", "repairing", "complete", "failed", "cancelled", "interrupted"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * A job is running: the first pass (`generating`) or the repair of its sections (`repairing`).
 * Both are followed live, stopped by Cancel, refused by Continue, joined by identical creates, and
 * turned `interrupted` by a restart.
 */
export const RUNNING_STATUSES = ["generating", "repairing"] as const;
export type RunningStatus = (typeof RUNNING_STATUSES)[number];

export function isRunningStatus(status: string): status is RunningStatus {
  return (RUNNING_STATUSES as readonly string[]).includes(status);
}

/** Where a generation can end. */
export type FinalStatus = Exclude<DocumentStatus, RunningStatus>;

/** The longest topic accepted, in UTF-16 code units (the form enforces it too). */
export const MAX_TOPIC_LENGTH = 120;

/** Statuses whose partial text can be resumed with "Continue". */
export const RESUMABLE_STATUSES: readonly DocumentStatus[] = ["failed", "cancelled", "interrupted"];

/**
 * What happened to a document on the way that its text does not show: the automatic recoveries
 * (a retry before the first token, a continuation after the output-token limit or after a stream
 * that ended without saying it finished). Shown on the page and in the API; kept minimal.
 */
export const HISTORY_KINDS = ["retried", "continued_after_length", "continued_after_unfinished_stream"] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export interface HistoryEntry {
  /** ISO time. */
  at: string;
  kind: HistoryKind;
  /** A sentence for people; provider text in it is redacted. */
  message: string;
}

export interface DesignDocument {
  id: string;
  topic: string;
  topicKey: string;
  model: string;
  /** Which master prompt wrote it: the seed alone, or the seed plus the section contract. */
  promptStyle: PromptStyle;
  promptVersion: string;
  status: DocumentStatus;
  /** The latest text: the pass being written, or the latest accepted version. */
  markdown: string;
  error: string | null;
  /** Final section report of `markdown`, written when a stage ends. */
  report: SectionReport | null;
  /** How many automatic continuations after an output-token limit were used. */
  continuations: number;
  history: HistoryEntry[];
  clientKey: string | null;
  /** SHA-256 (hex) of the creator's edit token: who may change the document without ACCESS_TOKEN. */
  editTokenHash: string | null;
  /** Identical requests from this scope (a client, or the signed-in users) may be offered this document; null: none. */
  ownerScope: string | null;
  /** Model tokens (input + output) all requests for this document have used. */
  tokensUsed: number;
  /** The input and the output part of those tokens, as the provider reported them. */
  inputTokens: number;
  outputTokens: number;
  /** How its first pass is written: one stream, or an outline and then the sections in parallel. */
  mode: GenerationMode;
  /** Parallel mode: the outline and every part's text and state (null in single mode). */
  parallel: ParallelProgress | null;
  createdAt: string;
  updatedAt: string;
  /** The version `markdown` is (1: the first pass; each accepted repair round and each Retry adds one). */
  version: number;
  /**
   * The version the event stream's `text` channel carries: the text the last job started from or
   * wrote (its first pass). Later versions reach readers as `version` events.
   */
  passVersion: number;
  /**
   * Why the pass version exists when a Retry, Regenerate or a section's retry made it (null: the
   * document's first pass): the reason its version is stored with (see passVersionReason).
   */
  passReason: string | null;
  /** The latest repair (automatic or by hand), its rounds and why each replacement was kept or not. */
  repair: RepairRecord | null;
  /** Replacement text the model was writing when a repair stopped (Continue resumes from it). */
  repairDrafts: RepairDraft[];
  /**
   * Which start of its generation this is: create, Continue, Retry and a repair (by hand or resumed) each take the next one, and
   * the store refuses checkpoints and final writes that carry an older one (a job that lost its
   * document cannot overwrite its successor).
   */
  fence: number;
  /** The instance running its generation (see lib/instance-id.ts), null while none does. */
  instance: string | null;
}
