import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { startGeneration } from "./start-generation";
import { RESUMABLE_STATUSES, type DesignDocument } from "./types";

async function loadStopped(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await studio.store.get(id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  if (document.status === "generating") {
    throw new DocumentError("already_generating", "This document is already being generated.");
  }
  await studio.admission.admit(clientKey);
  return document;
}

/** Stores the new start; two concurrent Continue/Retry requests (any instances) start it once. */
async function restartOrRefuse(studio: Studio, document: DesignDocument, state: { markdown: string; continuations: number }): Promise<number> {
  const fence = await studio.store.restart(document, state);
  if (fence === null) throw new DocumentError("already_generating", "This document is already being generated.");
  return fence;
}

/** Continue: resume generation from the kept partial text. */
export async function continueDocument(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, clientKey);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new DocumentError("not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  const fence = await restartOrRefuse(studio, document, { markdown: document.markdown, continuations: document.continuations });
  const restarted: DesignDocument = { ...document, fence, instance: studio.instance, status: "generating", error: null, report: null };
  await startGeneration(studio, restarted);
  return restarted;
}

/** Retry: throw the text away and generate the document again from the start. */
export async function retryDocument(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, clientKey);
  const fence = await restartOrRefuse(studio, document, { markdown: "", continuations: 0 });
  const restarted: DesignDocument = { ...document, fence, instance: studio.instance, status: "generating", markdown: "", error: null, report: null, continuations: 0 };
  await startGeneration(studio, restarted);
  return restarted;
}
