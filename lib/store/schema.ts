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
  /** Added by migration 003. */
  version: Generated<number>;
  pass_version: Generated<number>;
  /** RepairRecord as JSON. */
  repair: string | null;
  /** RepairDraft[] as JSON. */
  repair_drafts: string | null;
}

export interface DocumentVersionsTable {
  document_id: string;
  version: number;
  markdown: string;
  reason: string;
  satisfied: number | null;
  created_at: string;
}

export interface GenerationStartsTable {
  client_key: string;
  /** "create" or "repair". */
  kind: string;
  document_id: string;
  created_at: string;
}

export interface StudioDatabase {
  documents: DocumentsTable;
  document_versions: DocumentVersionsTable;
  generation_starts: GenerationStartsTable;
}
