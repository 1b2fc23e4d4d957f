import type { SectionReport } from "@/lib/sections/analyzer";

export const DOCUMENT_STATUSES = ["generating", "complete", "failed", "cancelled", "interrupted"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Where a generation can end. */
export type FinalStatus = Exclude<DocumentStatus, "generating">;

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
  promptVersion: string;
  status: DocumentStatus;
  markdown: string;
  error: string | null;
  /** Final section report, written when the generation ends. */
  report: SectionReport | null;
  /** How many automatic continuations after an output-token limit were used. */
  continuations: number;
  history: HistoryEntry[];
  clientKey: string | null;
  createdAt: string;
  updatedAt: string;
}
