import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { isDocumentId } from "./paths";
import type { DesignDocument } from "./types";

/**
 * The stored document, with the state of the job this process holds for it: the live text (and
 * parallel parts) of a running job, fresher than the last checkpoint, or the final state of one
 * that storage refused.
 */
export async function loadDocument(studio: Studio, id: string): Promise<DesignDocument | null> {
  if (!isDocumentId(id)) return null;
  const document = await studio.store.get(id);
  if (!document) return null;
  const job = studio.registry.get(id);
  if (!job) return document;
  const live = { ...document, markdown: job.text, continuations: job.continuations, history: [...job.history] };
  // Parallel mode: the parts as the job holds them, like its text (the stored ones lag by a checkpoint).
  const parts = job.sideState ? { parallel: job.sideState.snapshot() } : {};
  if (!job.result) return { ...live, ...parts, status: "generating", error: null, instance: studio.instance };
  // Ended, but its final state is held in memory until storage takes it.
  return { ...live, ...parts, status: job.result.status, error: job.result.error };
}

/** Like loadDocument, for use cases: an unknown id is a refusal. */
export async function requireDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadDocument(studio, id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  return document;
}
