import "server-only";
import type { JobPlan } from "@/lib/generation/registry";
import type { Studio } from "@/lib/studio";
import type { DesignDocument } from "./types";

/** Starts the job of a document stored as running, and lets identical requests from its scope attach to it. */
export function startGeneration(studio: Studio, document: DesignDocument, plan?: JobPlan): void {
  const job = studio.registry.start(document, plan);
  studio.admission.trackRunning(document, job.done);
}
