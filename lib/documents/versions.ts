/** The versions of a document (browser-safe types). */

/** One entry of GET /api/documents/{id}/versions. */
export interface DocumentVersionSummary {
  /** 1: the first pass; each accepted repair round and each Retry/Regenerate adds one. */
  version: number;
  createdAt: string;
  /** Why it exists: "First pass", "Repair round 1: sections 4, 7", "Generated again from the start (Retry: version 1 had failed)". */
  reason: string;
  /** Sections satisfied in it (null when it was never checked, e.g. an interrupted pass). */
  satisfied: number | null;
}

export interface DocumentVersion extends DocumentVersionSummary {
  markdown: string;
}

/** Why the version a first pass writes exists: what started it again (`passReason`), else the document's first pass. */
export function passVersionReason(document: { passVersion: number; passReason: string | null }): string {
  // A pass started again before the reason was recorded says only what happened.
  return document.passReason ?? (document.passVersion === 1 ? "First pass" : "Generated again from the start");
}
