import "server-only";
import type { RestartState } from "@/lib/store/document-store";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { requireMayChange } from "./edit-token";
import type { Requester } from "./requester";
import { startGeneration } from "./start-generation";
import { isRunningStatus, RESUMABLE_STATUSES, type DesignDocument } from "./types";

function alreadyRunning(document: DesignDocument): DocumentError {
  return new DocumentError("already_generating", `This document is already being ${document.status === "repairing" ? "repaired" : "generated"}.`);
}

/** A document no job runs for, once the requester may change it and may start a job (admission). */
export async function loadStopped(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await studio.store.get(id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  requireMayChange(document, requester);
  if (studio.registry.get(id) || isRunningStatus(document.status)) throw alreadyRunning(document);
  await studio.admission.admit(requester.clientKey, document.tokensUsed);
  return document;
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

/** A repair that was stopped (Cancel, a restart, a crash) before its last round ended. */
function stoppedRepair(document: DesignDocument) {
  return document.repair && document.repair.status !== "finished" ? document.repair : null;
}

/** Continue: resume what was stopped — the first pass from its kept text, or the repair of its sections. */
export async function continueDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new DocumentError("not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  const repair = stoppedRepair(document);
  if (repair) {
    const fence = await restartOrRefuse(studio, document, {
      repair: {
        markdown: document.markdown,
        report: document.report,
        version: document.version,
        passVersion: document.version,
        repair,
        continuations: document.continuations,
        drafts: document.repairDrafts,
      },
    });
    const restarted: DesignDocument = { ...document, fence, instance: studio.instance, status: "repairing", error: null, passVersion: document.version };
    startGeneration(studio, restarted, { kind: "repair", record: repair, drafts: document.repairDrafts });
    return restarted;
  }
  const fence = await restartOrRefuse(studio, document, { markdown: document.markdown, continuations: document.continuations });
  const restarted: DesignDocument = { ...document, fence, instance: studio.instance, status: "generating", error: null, report: null };
  startGeneration(studio, restarted);
  return restarted;
}

/** Retry / Regenerate: a new version generated from the start; the earlier versions stay downloadable. */
export async function retryDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, requester);
  const started = await studio.store.restartAsNewVersion(document, {
    version: document.version,
    createdAt: document.updatedAt,
    reason: `${document.version === 1 ? "First pass" : "Generated again from the start"} (${document.status})`,
    satisfied: document.report?.satisfied ?? null,
    markdown: document.markdown,
  });
  if (started === null) throw new DocumentError("already_generating", "This document is already being generated.");
  const restarted: DesignDocument = {
    ...document,
    fence: started.fence,
    instance: studio.instance,
    status: "generating",
    markdown: "",
    error: null,
    report: null,
    continuations: 0,
    version: started.version,
    passVersion: started.version,
    repair: null,
    repairDrafts: [],
  };
  startGeneration(studio, restarted);
  return restarted;
}
