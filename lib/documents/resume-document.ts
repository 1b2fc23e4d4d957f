import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { requireMayChange } from "./edit-token";
import { continueParts, retrySectionParts, type ParallelRestart } from "./parallel-restart";
import type { Requester } from "./requester";
import { startGeneration } from "./start-generation";
import { SECTIONS } from "@/lib/sections/rubric";
import { RESUMABLE_STATUSES, type DesignDocument } from "./types";

async function loadStopped(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await studio.store.get(id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  requireMayChange(document, requester);
  if (document.status === "generating") {
    throw new DocumentError("already_generating", "This document is already being generated.");
  }
  await studio.admission.admit(requester.clientKey, document.tokensUsed);
  return document;
}

/** Stores the new start; two concurrent Continue/Retry requests (any instances) start it once. */
async function restartOrRefuse(studio: Studio, document: DesignDocument, state: { markdown: string; continuations: number; parallel?: ParallelRestart["parallel"] }): Promise<number> {
  const fence = await studio.store.restart(document, state);
  if (fence === null) throw new DocumentError("already_generating", "This document is already being generated.");
  return fence;
}

/** Starts a stopped document again with `state` (its text, and in parallel mode its parts). */
async function restartWith(studio: Studio, document: DesignDocument, state: { markdown: string; continuations: number; parallel: ParallelRestart["parallel"] }) {
  const fence = await restartOrRefuse(studio, document, state);
  const restarted: DesignDocument = { ...document, ...state, fence, instance: studio.instance, status: "generating", error: null, report: null };
  await startGeneration(studio, restarted);
  return restarted;
}

/** Continue: resume generation from the kept partial text (parallel mode: every unfinished part, from its text). */
export async function continueDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new DocumentError("not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  const state = document.mode === "parallel" ? continueParts(document) : { markdown: document.markdown, parallel: null };
  return restartWith(studio, document, { ...state, continuations: document.continuations });
}

/** Retry: throw the text away and generate the document again from the start (parallel mode: a new outline too). */
export async function retryDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  return restartWith(studio, document, { markdown: "", continuations: 0, parallel: null });
}

/** The number of a section in a request path, or a clear refusal. */
export function parseSectionNumber(value: string): number {
  const number = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= SECTIONS.length)) {
    throw new DocumentError("invalid_section", `There is no section "${value.slice(0, 20)}": sections are numbered 1 to ${SECTIONS.length}.`);
  }
  return number;
}

/** Retry one section of a parallel document alone: its parts are written again from nothing, every other part is kept. */
export async function retrySection(studio: Studio, id: string, section: number, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  const state = retrySectionParts(document, section);
  return restartWith(studio, document, { ...state, continuations: document.continuations });
}
