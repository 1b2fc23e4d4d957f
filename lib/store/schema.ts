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
  client_key: string | null;
  created_at: string;
  updated_at: string;
  /** SHA-256 (hex) of the creator's edit token; null for documents created before edit tokens. */
  edit_token_hash: string | null;
  /** Identical requests from this scope may be offered the document; null: never offered. */
  owner_scope: string | null;
  tokens_used: Generated<number>;
}

export interface TokenUsageTable {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** bigint: PostgreSQL returns it as a string. */
  tokens: Generated<number | string>;
}

export interface StudioDatabase {
  documents: DocumentsTable;
  token_usage: TokenUsageTable;
}
