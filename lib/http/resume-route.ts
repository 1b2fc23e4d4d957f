import "server-only";
import type { Requester } from "@/lib/documents/requester";
import { presentDocument } from "@/lib/documents/present";
import type { DesignDocument } from "@/lib/documents/types";
import type { Studio } from "@/lib/studio";
import { documentActionRoute } from "./document-action-route";

type Resume<Params> = (studio: Studio, id: string, requester: Requester, params: Params) => Promise<DesignDocument>;

/**
 * POST handler for the write operations that start a job on an existing document — Continue,
 * Retry and the repairs: the same gate (documentActionRoute: origin, JSON body, access, and the
 * domain's edit-token check) and response, a different start.
 */
export function resumeRouteHandler<Params extends { id: string } = { id: string }>(resume: Resume<Params>) {
  return documentActionRoute<Params>(async (studio, id, requester, params) =>
    Response.json(presentDocument(await resume(studio, id, requester, params)), { status: 202 }),
  );
}
