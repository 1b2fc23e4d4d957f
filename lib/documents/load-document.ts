import { ApiError } from "@/lib/http/api-error";
import { requireReadAccess } from "@/lib/http/access";
import type { Studio } from "@/lib/studio";
import { isDocumentId } from "./present";
import type { DesignDocument } from "./types";

/** The stored document, with the live text of a running job (fresher than the last checkpoint). */
export async function loadDocument(studio: Studio, id: string): Promise<DesignDocument | null> {
  if (!isDocumentId(id)) return null;
  const document = await studio.store.get(id);
  if (!document) return null;
  const job = studio.registry.get(id);
  return job ? { ...document, status: "generating", markdown: job.text, continuations: job.continuations } : document;
}

export async function loadDocumentForRequest(studio: Studio, request: Request, id: string): Promise<DesignDocument> {
  requireReadAccess(request, studio.config);
  const document = await loadDocument(studio, id);
  if (!document) throw new ApiError(404, "not_found", "No document with this id.");
  return document;
}
