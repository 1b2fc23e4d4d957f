/** The versions of a document (browser-safe types). */

/** One entry of GET /api/documents/{id}/versions. */
export interface DocumentVersionSummary {
  /** 1: the first pass; each accepted repair round and each Retry/Regenerate adds one. */
  version: number;
  createdAt: string;
  /** Why it exists: "First pass", "Repair round 1: sections 4, 7", "Regenerated". */
  reason: string;
  /** Sections satisfied in it (null when it was never checked, e.g. an interrupted pass). */
  satisfied: number | null;
}

export interface DocumentVersion extends DocumentVersionSummary {
  markdown: string;
}
