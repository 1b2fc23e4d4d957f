import "server-only";
import { redactRepairRecord } from "@/lib/repair/record";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { isDocumentId } from "./paths";
import { isRunningStatus, type DesignDocument } from "./types";

/** The stored document, with the live state of a running job (fresher than the last checkpoint). */
export async function loadDocument(studio: Studio, id: string): Promise<DesignDocument | null> {
  if (!isDocumentId(id)) return null;
  const document = await studio.store.get(id);
  if (!document) return null;
  if (!isRunningStatus(document.status)) return document;
  const live = await studio.generations.live(id);
  if (!live) return document;
  // Live: the job's status and latest text (fresher than the last checkpoint), its repair's reasons redacted as stored ones are.
  return {
    ...document,
    status: live.status ?? document.status,
    markdown: live.markdown,
    version: live.version ?? document.version,
    continuations: live.continuations ?? document.continuations,
    repair: live.repair ? redactRepairRecord(live.repair, studio.redact) : document.repair,
    instance: live.instance,
  };
}

/** Like loadDocument, for use cases: an unknown id is a refusal. */
export async function requireDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadDocument(studio, id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  return document;
}
