import "server-only";
import { redactRepairRecord } from "@/lib/repair/record";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { isDocumentId } from "./paths";
import { redactParallelProgress } from "./section-parts";
import { isRunningStatus, type DesignDocument } from "./types";

/**
 * The stored document, with the state of the job this process holds for it: the live status,
 * latest text, version, history and parallel parts of a running job (fresher than the last
 * checkpoint), or the final state of one that storage refused. Messages in it (the parts' errors,
 * the history, the repair's reasons) are redacted as stored ones are.
 */
export async function loadDocument(studio: Studio, id: string): Promise<DesignDocument | null> {
  if (!isDocumentId(id)) return null;
  const document = await studio.store.get(id);
  if (!document) return null;
  const job = studio.registry.get(id);
  if (!job) return runningElsewhere(studio, document);
  const live: DesignDocument = {
    ...document,
    markdown: job.markdown,
    version: job.version,
    continuations: job.continuations,
    history: job.history.map((entry) => ({ ...entry, message: studio.redact(entry.message) })),
    repair: job.repair ? redactRepairRecord(job.repair, studio.redact) : document.repair,
    // Parallel mode: the parts as the job holds them, like its text (the stored ones lag by a checkpoint).
    ...(job.sideState ? { parallel: redactParallelProgress(job.sideState.snapshot(), studio.redact) } : {}),
  };
  if (!job.result) return { ...live, status: job.status, error: null, instance: studio.instance };
  // Ended, but its final state is held in memory until storage takes it.
  return { ...live, status: job.result.status, error: job.result.error === null ? null : studio.redact(job.result.error) };
}

/** A document another instance runs (with Redis): its live text and state from the shared log. */
async function runningElsewhere(studio: Studio, document: DesignDocument): Promise<DesignDocument> {
  if (!isRunningStatus(document.status)) return document;
  const live = await studio.generations.live(document.id);
  if (!live) return document;
  return {
    ...document,
    status: live.status ?? document.status,
    markdown: live.markdown,
    version: live.version ?? document.version,
    continuations: live.continuations ?? document.continuations,
    repair: live.repair ? redactRepairRecord(live.repair, studio.redact) : document.repair,
    instance: live.instance,
  };
}

/** Like loadDocument, for use cases: an unknown id is a refusal. */
export async function requireDocument(studio: Studio, id: string): Promise<DesignDocument> {
  const document = await loadDocument(studio, id);
  if (!document) throw new DocumentError("not_found", "No document with this id.");
  return document;
}
