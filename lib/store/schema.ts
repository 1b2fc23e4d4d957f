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
  /** JSON array of HistoryEntry. */
  history: Generated<string>;
  client_key: string | null;
  created_at: string;
  updated_at: string;
  /** Which start of generation may write this row (see migrations.ts). */
  generation_fence: Generated<number>;
  /** SHA-256 (hex) of the creator's edit token; null for documents created before edit tokens. */
  edit_token_hash: string | null;
  /** Identical requests from this scope may be offered the document; null: never offered. */
  owner_scope: string | null;
  tokens_used: Generated<number>;
  /** The version `markdown` is (1: the first pass) and the version the stream's text channel carries. */
  version: Generated<number>;
  pass_version: Generated<number>;
  /** Why the pass version exists when a restart made it (the i12 migration; null: the first pass). */
  pass_reason: string | null;
  /** RepairRecord as JSON. */
  repair: string | null;
  /** RepairDraft[] as JSON. */
  repair_drafts: string | null;
  /** Added by the i11 migration: `single` or `parallel`. */
  generation_mode: Generated<string>;
  /** Parallel documents: the outline and each part's text and state (JSON, see lib/documents/section-parts.ts). */
  parallel_state: string | null;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
}

export interface TokenUsageTable {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** bigint: PostgreSQL returns it as a string. */
  tokens: Generated<number | string>;
}

/** Every version of every document: none is ever overwritten by a repair or a Retry. */
export interface DocumentVersionsTable {
  document_id: string;
  version: number;
  markdown: string;
  reason: string;
  satisfied: number | null;
  created_at: string;
}

/** What RATE_LIMIT_PER_HOUR counts: each creation and each repair asked for by hand. */
export interface GenerationStartsTable {
  id: string;
  client_key: string;
  /** "create" or "repair". */
  kind: string;
  document_id: string;
  created_at: string;
}

export interface StudioDatabase {
  documents: DocumentsTable;
  token_usage: TokenUsageTable;
  document_versions: DocumentVersionsTable;
  generation_starts: GenerationStartsTable;
}

/**
 * The studio's tables and the unique key each is paged by (its columns, in order), for
 * migrate-data. A migration that adds a table adds it here; added columns are copied without a change.
 */
export const STUDIO_TABLES: readonly { name: keyof StudioDatabase; key: readonly string[] }[] = [
  { name: "documents", key: ["id"] },
  { name: "token_usage", key: ["day"] },
  { name: "document_versions", key: ["document_id", "version"] },
  { name: "generation_starts", key: ["id"] },
];
