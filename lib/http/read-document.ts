import "server-only";
import { requireDocument } from "@/lib/documents/load-document";
import type { DesignDocument } from "@/lib/documents/types";
import type { Studio } from "@/lib/studio";
import { requireReadAccess } from "./access";

/** A document as a request may see it: the read gate (PRIVATE_READS) first, then the lookup. */
export async function readDocumentForRequest(studio: Studio, request: Request, id: string): Promise<DesignDocument> {
  requireReadAccess(request, studio.config);
  return requireDocument(studio, id);
}
