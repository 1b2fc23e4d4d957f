import { ApiError } from "@/lib/http/api-error";
import type { Studio } from "@/lib/studio";
import { RESUMABLE_STATUSES, type DesignDocument } from "./types";

async function loadStopped(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await studio.store.get(id);
  if (!document) throw new ApiError(404, "not_found", "No document with this id.");
  if (studio.registry.get(id) || document.status === "generating") {
    throw new ApiError(409, "already_generating", "This document is already being generated.");
  }
  if (studio.registry.activeCount >= studio.config.maxConcurrentGenerations) {
    throw new ApiError(429, "too_many_generations", "The server is generating as many documents as it may at once (MAX_CONCURRENT_GENERATIONS). Try again in a minute.", {
      "Retry-After": "30",
    });
  }
  return document;
}

/** Continue: resume generation from the kept partial text. */
export async function continueDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new ApiError(409, "not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  await studio.store.restart(id, document.markdown, document.continuations);
  const restarted: DesignDocument = { ...document, status: "generating", error: null, report: null };
  studio.registry.start(restarted);
  return restarted;
}

/** Retry: throw the text away and generate the document again from the start. */
export async function retryDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id);
  await studio.store.restart(id, "", 0);
  const restarted: DesignDocument = { ...document, status: "generating", markdown: "", error: null, report: null, continuations: 0 };
  studio.registry.start(restarted);
  return restarted;
}
