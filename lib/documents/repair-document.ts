import "server-only";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import { analyzeSections } from "@/lib/sections/analyzer";
import type { Studio } from "@/lib/studio";
import { DocumentError } from "./document-error";
import { requireMayChange } from "./edit-token";
import type { Requester } from "./requester";
import { loadStopped, restartOrRefuse } from "./resume-document";
import { startGeneration } from "./start-generation";
import { isRunningStatus, type DesignDocument } from "./types";

/**
 * Repair by hand: rewrites one section (`target` [n]) or every section not satisfied (null) of a
 * complete document, with the same rounds, rules and live events as the automatic repair. Gated
 * like Continue and Retry (the creator's edit token or ACCESS_TOKEN, admission), it is a new start
 * of the document's generation (the next fence), and it counts against the client's hourly
 * allowance like a creation.
 */
export async function repairDocument(studio: Studio, id: string, requester: Requester, target: number[] | null): Promise<DesignDocument> {
  const stored = await studio.store.get(id);
  if (!stored) throw new DocumentError("not_found", "No document with this id.");
  requireMayChange(stored, requester);
  if (stored.status !== "complete" && !isRunningStatus(stored.status)) {
    throw new DocumentError("not_repairable", `A ${stored.status} document cannot be repaired: Continue or Retry finishes it first.`);
  }
  if (studio.config.maxRepairRounds === 0) throw new DocumentError("not_repairable", "Repairs are turned off on this server (MAX_REPAIR_ROUNDS=0).");
  const report = stored.report ?? analyzeSections(stored.markdown, { final: true });
  const sections = sectionsToRepair(report, target);
  if (sections.length === 0 && stored.status === "complete") {
    const what = target?.length === 1 ? `Section ${target[0]} is` : "Every section is";
    throw new DocumentError("nothing_to_repair", `${what} already satisfied (or still being checked): there is nothing to repair.`);
  }
  const document = await loadStopped(studio, id, requester);
  // Read again after admission: the fence below refuses it if it changed since.
  if (document.status !== "complete") throw new DocumentError("not_repairable", `A ${document.status} document cannot be repaired: Continue or Retry finishes it first.`);
  const record = newRepairRecord({ trigger: "manual", target, maxRounds: studio.config.maxRepairRounds, fromVersion: document.version, firstPass: null });
  const fence = await restartOrRefuse(studio, document, {
    repair: {
      markdown: document.markdown,
      report: document.report,
      version: document.version,
      passVersion: document.version,
      repair: record,
      continuations: document.continuations,
      drafts: [],
    },
  });
  await studio.admission.recordStart(requester.clientKey, "repair", id);
  const repairing: DesignDocument = { ...document, fence, instance: studio.instance, status: "repairing", error: null, passVersion: document.version, repair: record, repairDrafts: [] };
  await startGeneration(studio, repairing, { kind: "repair", record, drafts: [] });
  return repairing;
}
