import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { requireMayChange } from "./edit-token";
import { requireDocument } from "./load-document";
import type { Requester } from "./requester";

/** Removes a document for good, stopping its generation first (readers of its stream are told it ended). */
export async function deleteDocument(studio: Studio, id: string, requester: Requester): Promise<void> {
  requireMayChange(await requireDocument(studio, id), requester);
  // Wherever it runs: with Redis another instance may own its generation (or it waits for a slot).
  await studio.generations.cancel(id);
  if (!(await studio.store.delete(id))) throw new DocumentError("not_found", "No document with this id.");
}
