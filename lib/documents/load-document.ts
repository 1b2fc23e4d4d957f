import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { isDocumentId } from "./paths";
import type { DesignDocument } from "./types";

/** The stored document, with the live text of a running job (fresher than the last checkpoint). */
export async function loadDocument(studio: Studio, id: string): Promise<DesignDocument | null> {
  if (!isDocumentId(id)) return null;
  const document = await studio.store.get(id);
  if (!document) return null;
  if (document.status !== "generating") return document;
  const live = await studio.generations.live(id);
  return live ? { ...document, status: "generating", markdown: live.markdown, instance: live.instance } : document;
}

/** Like loadDocument, for use cases: an unknown id is a refusal. */
export async function requireDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadDocument(studio, id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  return document;
}
