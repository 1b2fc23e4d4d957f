import "server-only";
import { SECTIONS } from "@/lib/sections/rubric";
import type { PassStart, RestartState } from "@/lib/store/document-store";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { requireMayChange } from "./edit-token";
import { continueParts, retrySectionParts } from "./parallel-restart";
import { repairRestartState, stoppedRepair } from "./repair-restart";
import type { Requester } from "./requester";
import { startGeneration } from "./start-generation";
import { truncateGraphemes } from "./truncate-graphemes";
import { isRunningStatus, RESUMABLE_STATUSES, type DesignDocument, type FinalStatus } from "./types";
import { passVersionReason } from "./versions";

/** How long a client refused for unavailable storage is asked to wait. */
const STORAGE_RETRY_AFTER_SECONDS = 10;

function alreadyRunning(document: DesignDocument): DocumentError {
  return new DocumentError("already_generating", `This document is already being ${document.status === "repairing" ? "repaired" : "generated"}.`);
}

async function requireStored(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await studio.store.get(id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  return document;
}

/** A document no job runs for: its status is where its last generation ended. */
export type StoppedDocument = DesignDocument & { status: FinalStatus };

/** A document no job runs for, once the requester may change it and may start a job (admission). */
export async function loadStopped(studio: Studio, id: string, requester: Requester): Promise<StoppedDocument> {
  let document = await requireStored(studio, id);
  requireMayChange(document, requester);
  // A job that ended while storage was down: its final state must be stored before anything restarts it.
  if (studio.registry.get(id)?.result) {
    if (!(await studio.registry.saveUnsaved(id))) {
      throw new DocumentError(
        "storage_unavailable",
        "Storage is still unavailable, so this document cannot be restarted yet; its text is kept in memory. Try again shortly.",
        STORAGE_RETRY_AFTER_SECONDS,
      );
    }
    document = await requireStored(studio, id);
  }
  // Running here, or (any status running) on any instance.
  if (studio.registry.get(id) || isRunningStatus(document.status)) throw alreadyRunning(document);
  await studio.admission.admit(requester.clientKey, document.tokensUsed);
  return { ...document, status: document.status };
}

/**
 * Stores the new start and returns its fence; two concurrent Continue/Retry/repair requests (any
 * instances) start it once — the loser gets 409.
 */
export async function restartOrRefuse(studio: Studio, document: DesignDocument, state: RestartState): Promise<number> {
  const fence = await studio.store.restart(document, state);
  if (fence === null) throw new DocumentError("already_generating", "This document is already being generated.");
  return fence;
}

/**
 * Starts the first pass of a stopped document again from `state` (its text, and in parallel mode
 * its parts), as the same version: its history goes on.
 */
async function restartPass(studio: Studio, document: DesignDocument, state: Omit<PassStart, "history">): Promise<DesignDocument> {
  const fence = await restartOrRefuse(studio, document, state);
  const restarted: DesignDocument = {
    ...document,
    ...state,
    fence,
    instance: studio.instance,
    status: "generating",
    error: null,
    report: null,
  };
  await startGeneration(studio, restarted);
  return restarted;
}

/** What became of a version that is generated again, in plain words. */
const OUTCOME: Record<FinalStatus, string> = {
  complete: "was complete",
  failed: "had failed",
  cancelled: "had been stopped",
  interrupted: "had been interrupted when the server stopped",
};

/** Why a Retry (or Regenerate, of a complete document) makes a new version: what the reader asked, and what the version before it was. */
function retryReason(document: StoppedDocument): string {
  const asked = document.status === "complete" ? "Regenerate" : "Retry";
  return `Generated again from the start (${asked}: version ${document.version} ${OUTCOME[document.status]})`;
}

/** Why a section's retry of a finished parallel pass makes a new version. */
function sectionRetryReason(document: DesignDocument, section: number): string {
  return `Section ${section} written again (its Retry; the other sections kept from version ${document.version})`;
}

/**
 * Starts the first pass of a stopped document again from `state` as a new version, stored with
 * `reason`: the current text is kept as its version first, so nothing is destroyed (Retry,
 * Regenerate, and a section's retry of a document whose first pass had finished).
 */
async function restartAsNewVersion(studio: Studio, document: DesignDocument, state: PassStart, reason: string): Promise<DesignDocument> {
  const started = await studio.store.restartAsNewVersion(
    document,
    {
      version: document.version,
      createdAt: document.updatedAt,
      // Only a pass with no stored version gets here (an interrupted or stopped one): the version is its pass.
      reason: `${passVersionReason(document)} (${document.status})`,
      satisfied: document.report?.satisfied ?? null,
      markdown: document.markdown,
    },
    reason,
    state,
  );
  if (started === null) throw new DocumentError("already_generating", "This document is already being generated.");
  const restarted: DesignDocument = {
    ...document,
    ...state,
    history: state.history ? [...state.history] : document.history,
    fence: started.fence,
    instance: studio.instance,
    status: "generating",
    error: null,
    report: null,
    version: started.version,
    passVersion: started.version,
    passReason: reason,
    repair: null,
    repairDrafts: [],
  };
  await startGeneration(studio, restarted);
  return restarted;
}

/**
 * Continue: resume what was stopped — the repair of its sections, or the first pass from its kept
 * text (parallel mode: every unfinished part, from its text).
 */
export async function continueDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new DocumentError("not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  const repair = stoppedRepair(document);
  if (repair) {
    const fence = await restartOrRefuse(studio, document, repairRestartState(document, repair));
    const restarted: DesignDocument = { ...document, fence, instance: studio.instance, status: "repairing", error: null, passVersion: document.version };
    await startGeneration(studio, restarted, { kind: "repair", record: repair, drafts: document.repairDrafts });
    return restarted;
  }
  const state = document.mode === "parallel" ? continueParts(document) : { markdown: document.markdown, parallel: null };
  return restartPass(studio, document, { ...state, continuations: document.continuations });
}

/**
 * Retry / Regenerate: a new version generated from the start (parallel mode: a new outline too),
 * its history started afresh; the earlier versions stay downloadable.
 */
export async function retryDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  return restartAsNewVersion(studio, document, { markdown: "", continuations: 0, parallel: null, history: [] }, retryReason(document));
}

/** The number of a section in a request path (its retry, its repair), or a clear refusal. */
export function parseSectionNumber(value: string): number {
  const number = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= SECTIONS.length)) {
    throw new DocumentError("invalid_section", `There is no section "${truncateGraphemes(value, 20)}": sections are numbered 1 to ${SECTIONS.length}.`);
  }
  return number;
}

/**
 * Retry one section of a parallel document alone: its parts are written again from nothing, every
 * other part is kept, and the document is assembled from the parts again. Of a first pass that
 * never finished, it is the same version (like Continue); of one that did (complete, or repaired
 * since), a new version — the current text, repairs included, is kept as its own — and the repair
 * pass runs after it again.
 */
export async function retrySection(studio: Studio, id: string, section: number, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  const state = { ...retrySectionParts(document, section), continuations: document.continuations };
  const passFinished = document.status === "complete" || document.repair !== null;
  return passFinished ? restartAsNewVersion(studio, document, state, sectionRetryReason(document, section)) : restartPass(studio, document, state);
}
