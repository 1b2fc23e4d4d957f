import type { RepairRecord } from "@/lib/repair/record";
import type { RestartState } from "@/lib/store/document-store";
import type { DesignDocument } from "./types";

/** The repair a stopped document was in the middle of (stopped, interrupted, or its process killed), or null. */
export function stoppedRepair(document: Pick<DesignDocument, "repair">): RepairRecord | null {
  return document.repair && document.repair.status !== "finished" ? document.repair : null;
}

/** What resuming `repair` stores: the current version as the base, with the record and the replacements written so far (Continue, and a restart's recovery). */
export function repairRestartState(document: DesignDocument, repair: RepairRecord): RestartState {
  return {
    repair: {
      markdown: document.markdown,
      report: document.report,
      version: document.version,
      passVersion: document.version,
      repair,
      continuations: document.continuations,
      drafts: document.repairDrafts,
    },
  };
}
