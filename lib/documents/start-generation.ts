import "server-only";
import type { Studio } from "@/lib/studio";
import type { DesignDocument } from "./types";

/** Starts the job of a document stored as `generating` (here, or on any instance), and lets identical requests from its scope attach to it. */
export async function startGeneration(studio: Studio, document: DesignDocument): Promise<void> {
  const { done } = await studio.generations.start(document);
  await studio.admission.trackRunning(document, done);
}
