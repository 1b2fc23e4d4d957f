import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { truncateGraphemes } from "./truncate-graphemes";
import type { DesignDocument } from "./types";
import type { DocumentVersion } from "./versions";

/** One stored version of a document (`?version=N`); the current text counts as its version until it is stored. */
export async function readDocumentVersion(studio: Studio, document: DesignDocument, requested: string): Promise<DocumentVersion> {
  const number = /^\d{1,9}$/.test(requested) ? Number(requested) : NaN;
  if (!(number >= 1)) throw new DocumentError("invalid_request", `"${truncateGraphemes(requested, 20)}" is not a version number (1, 2, …).`);
  const stored = await studio.store.getVersion(document.id, number);
  if (stored) return stored;
  if (number === document.version) {
    return { version: number, createdAt: document.updatedAt, reason: "Current text", satisfied: document.report?.satisfied ?? null, markdown: document.markdown };
  }
  throw new DocumentError("not_found", `This document has no version ${number}.`);
}
