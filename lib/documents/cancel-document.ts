import "server-only";
import type { Studio } from "@/lib/studio";
import { requireDocument } from "./load-document";
import type { DesignDocument } from "./types";

/** Stops the generation (aborting the upstream model request) and returns the stored result. Idempotent. */
export async function cancelDocument(studio: Studio, id: string): Promise<DesignDocument> {
  await requireDocument(studio, id);
  await studio.generations.cancel(id);
  return requireDocument(studio, id);
}
