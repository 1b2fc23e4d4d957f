import "server-only";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { isDocumentId } from "./paths";
import { storedDocumentSource } from "./stored-document-source";
import { isRunningStatus } from "./types";

/** The events of one document from text offset `from`: live while it generates (on any instance), else from storage. */
export async function openDocumentEvents(studio: Studio, id: string, from: number): Promise<DocumentEventSource> {
  const notFound = new DocumentError("not_found", "No document with this id.");
  if (!isDocumentId(id)) throw notFound;
  const live = await studio.generations.follow(id, from);
  if (live) return live;
  const stored = await studio.store.get(id);
  if (!stored) throw notFound;
  // The generation may have started while the row was read: prefer it, it is fresher.
  if (isRunningStatus(stored.status)) {
    const started = await studio.generations.follow(id, from);
    if (started) return started;
  }
  return storedDocumentSource(stored, from, { reload: () => studio.store.get(id), version: (version) => studio.store.getVersion(id, version) });
}
