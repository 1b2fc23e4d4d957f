import "server-only";
import type { Generated } from "kysely";

export interface DocumentsTable {
  id: string;
  topic: string;
  topic_key: string;
  model: string;
  prompt_version: string;
  /** Added by migration 002; rows older than it were written with the seed prompt. */
  prompt_style: Generated<string>;
  status: string;
  markdown: Generated<string>;
  error: string | null;
  report: string | null;
  continuations: Generated<number>;
  client_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface StudioDatabase {
  documents: DocumentsTable;
}
