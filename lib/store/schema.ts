import "server-only";
import type { Generated } from "kysely";

export interface DocumentsTable {
  id: string;
  topic: string;
  topic_key: string;
  model: string;
  prompt_version: string;
  status: string;
  markdown: Generated<string>;
  error: string | null;
  report: string | null;
  continuations: Generated<number>;
  /** JSON array of HistoryEntry. */
  history: Generated<string>;
  client_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface StudioDatabase {
  documents: DocumentsTable;
}
