import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { startGeneration } from "./start-generation";
import { RESUMABLE_STATUSES, type DesignDocument } from "./types";

/** How long a client refused for unavailable storage is asked to wait. */
const STORAGE_RETRY_AFTER_SECONDS = 10;

async function loadStopped(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const held = studio.registry.get(id);
  // A job that ended while storage was down: its final state must be stored before anything restarts it.
  if (held?.result && !(await studio.registry.saveUnsaved(id))) {
    throw new DocumentError(
      "storage_unavailable",
      "Storage is still unavailable, so this document cannot be restarted yet; its text is kept in memory. Try again shortly.",
      STORAGE_RETRY_AFTER_SECONDS,
    );
  }
  const document = await studio.store.get(id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  if (studio.registry.get(id) || document.status === "generating") {
    throw new DocumentError("already_generating", "This document is already being generated.");
  }
  await studio.admission.admit(clientKey);
  return document;
}

/** Continue: resume generation from the kept partial text. */
export async function continueDocument(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, clientKey);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new DocumentError("not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  await studio.store.restart(id, { markdown: document.markdown, continuations: document.continuations, history: document.history });
  const restarted: DesignDocument = { ...document, status: "generating", error: null, report: null };
  startGeneration(studio, restarted);
  return restarted;
}

/** Retry: throw the text away and generate the document again from the start. */
export async function retryDocument(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, clientKey);
  await studio.store.restart(id, { markdown: "", continuations: 0, history: [] });
  const restarted: DesignDocument = { ...document, status: "generating", markdown: "", error: null, report: null, continuations: 0, history: [] };
  startGeneration(studio, restarted);
  return restarted;
}
