import "server-only";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { liveJobSource } from "./live-job-source";
import { isDocumentId } from "./paths";
import { storedDocumentSource } from "./stored-document-source";

/** The events of one document from text offset `from`: live when this process runs it, else from storage. */
export async function openDocumentEvents(studio: Studio, id: string, from: number): Promise<DocumentEventSource> {
  const notFound = new DocumentError("not_found", "No document with this id.");
  if (!isDocumentId(id)) throw notFound;
  const job = studio.registry.get(id);
  if (job) return liveJobSource(job, from, studio.redact);
  const stored = await studio.store.get(id);
  if (!stored) throw notFound;
  // The job may have started while the row was read: prefer it, it is fresher.
  const started = studio.registry.get(id);
  if (started) return liveJobSource(started, from, studio.redact);
  return storedDocumentSource(stored, from, { reload: () => studio.store.get(id), version: (version) => studio.store.getVersion(id, version) });
}
