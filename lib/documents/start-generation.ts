import "server-only";
import type { JobPlan } from "@/lib/generation/registry";
import type { Studio } from "@/lib/studio";
import type { DesignDocument } from "./types";

/**
 * Starts the job of a document stored as running (`generating`, or `repairing` for a repair), here
 * or on any instance, and lets identical requests from its scope attach to it.
 */
export async function startGeneration(studio: Studio, document: DesignDocument, plan?: JobPlan): Promise<void> {
  const { done } = await studio.generations.start(document, plan);
  await studio.admission.trackRunning(document, done);
}
