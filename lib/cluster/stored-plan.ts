import "server-only";
import type { DesignDocument } from "@/lib/documents/types";
import type { JobPlan } from "@/lib/generation/registry";

/**
 * What a job for a stored running document does, read from the row alone (a job taken over on
 * another instance, or resumed after a restart, has nothing else): a `repairing` document resumes
 * its repair from the stored record and drafts, as Continue resumes a stopped repair; a
 * `generating` one writes its first pass. Null when a `repairing` row has no repair record (it
 * cannot be resumed: stored `interrupted` instead).
 */
export function storedPlan(document: Pick<DesignDocument, "status" | "repair" | "repairDrafts">): JobPlan | null {
  if (document.status !== "repairing") return { kind: "pass" };
  return document.repair ? { kind: "repair", record: document.repair, drafts: document.repairDrafts } : null;
}
