import "server-only";
import type { JobPlan } from "@/lib/generation/registry";
import type { Studio } from "@/lib/studio";
import { generationKey } from "./admission";
import type { DesignDocument } from "./types";

/** Starts the job of a document stored as running, and lets identical requests attach to it. */
export function startGeneration(studio: Studio, document: DesignDocument, plan?: JobPlan): void {
  const job = studio.registry.start(document, plan);
  studio.admission.trackRunning(generationKey(document), document.id, job.done);
}
