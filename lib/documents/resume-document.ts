import "server-only";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { startGeneration } from "./start-generation";
import { isRunningStatus, RESUMABLE_STATUSES, type DesignDocument } from "./types";

/** A document no job runs for, once the client may start one. */
export async function loadStopped(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await studio.store.get(id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  if (studio.registry.get(id) || isRunningStatus(document.status)) {
    throw new DocumentError("already_generating", `This document is already being ${document.status === "repairing" ? "repaired" : "generated"}.`);
  }
  await studio.admission.admit(clientKey);
  // Another request may have started it while we waited.
  if (studio.registry.get(id)) throw new DocumentError("already_generating", "This document is already being generated.");
  return document;
}

/** A repair that was stopped (Cancel, a restart, a crash) before its last round ended. */
function stoppedRepair(document: DesignDocument) {
  return document.repair && document.repair.status !== "finished" ? document.repair : null;
}

/** Continue: resume what was stopped — the first pass from its kept text, or the repair of its sections. */
export async function continueDocument(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, clientKey);
  if (!RESUMABLE_STATUSES.includes(document.status)) {
    throw new DocumentError("not_resumable", `A ${document.status} document cannot be continued; use Retry to generate it again.`);
  }
  const repair = stoppedRepair(document);
  if (repair) {
    const started = await studio.store.beginRepair(id, RESUMABLE_STATUSES, {
      markdown: document.markdown,
      report: document.report,
      version: document.version,
      passVersion: document.version,
      repair,
      continuations: document.continuations,
    });
    if (!started) throw new DocumentError("already_generating", "This document is already being generated.");
    const restarted: DesignDocument = { ...document, status: "repairing", error: null, passVersion: document.version };
    startGeneration(studio, restarted, { kind: "repair", record: repair, drafts: document.repairDrafts });
    return restarted;
  }
  await studio.store.restart(id, document.markdown, document.continuations);
  const restarted: DesignDocument = { ...document, status: "generating", error: null, report: null };
  startGeneration(studio, restarted);
  return restarted;
}

/** Retry / Regenerate: a new version generated from the start; the earlier versions stay downloadable. */
export async function retryDocument(studio: Studio, id: string, clientKey: string): Promise<DesignDocument> {
  const document = await loadStopped(studio, id, clientKey);
  const version = await studio.store.startNewVersion(id, {
    version: document.version,
    createdAt: document.updatedAt,
    reason: `${document.version === 1 ? "First pass" : "Generated again from the start"} (${document.status})`,
    satisfied: document.report?.satisfied ?? null,
    markdown: document.markdown,
  });
  const restarted: DesignDocument = {
    ...document,
    status: "generating",
    markdown: "",
    error: null,
    report: null,
    continuations: 0,
    version,
    passVersion: version,
    repair: null,
    repairDrafts: [],
  };
  startGeneration(studio, restarted);
  return restarted;
}
