import "server-only";
import type { Studio } from "@/lib/studio";
import type { DesignDocument } from "./types";

/** Starts the job of a document stored as `generating`, and lets identical requests from its scope attach to it. */
export function startGeneration(studio: Studio, document: DesignDocument): void {
  const job = studio.registry.start(document);
  studio.admission.trackRunning(document, job.done);
}
