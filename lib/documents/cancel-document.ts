import "server-only";
import type { Studio } from "@/lib/studio";
import { requireMayChange } from "./edit-token";
import { requireDocument } from "./load-document";
import type { Requester } from "./requester";
import type { DesignDocument } from "./types";

/** Stops the generation (aborting the upstream model request) and returns the stored result. Idempotent. */
export async function cancelDocument(studio: Studio, id: string, requester: Requester): Promise<DesignDocument> {
  requireMayChange(await requireDocument(studio, id), requester);
  await studio.generations.cancel(id);
  return requireDocument(studio, id);
}
