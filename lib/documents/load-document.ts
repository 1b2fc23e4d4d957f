import "server-only";
import { redactRepairRecord } from "@/lib/repair/record";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { isDocumentId } from "./paths";
import type { DesignDocument } from "./types";

/** The stored document, with the live state of a running job (fresher than the last checkpoint). */
export async function loadDocument(studio: Studio, id: string): Promise<DesignDocument | null> {
  if (!isDocumentId(id)) return null;
  const document = await studio.store.get(id);
  if (!document) return null;
  const job = studio.registry.get(id);
  if (!job) return document;
  // Live: the job's status and latest text (fresher than the last checkpoint), its repair's reasons redacted as stored ones are.
  return {
    ...document,
    status: job.status,
    markdown: job.markdown,
    version: job.version,
    continuations: job.continuations,
    repair: job.repair ? redactRepairRecord(job.repair, studio.redact) : document.repair,
    instance: studio.instance,
  };
}

/** Like loadDocument, for use cases: an unknown id is a refusal. */
export async function requireDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadDocument(studio, id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  return document;
}
