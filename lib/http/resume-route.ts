import "server-only";
import { presentDocument } from "@/lib/documents/present";
import type { DesignDocument } from "@/lib/documents/types";
import { getStudio, type Studio } from "@/lib/studio";
import { requireWriteAccess } from "./access";
import { clientKey } from "./client-key";
import { withApiErrors } from "./error-response";

type Resume<Params> = (studio: Studio, id: string, clientKey: string, params: Params) => Promise<DesignDocument>;

/**
 * POST handler for the write operations that start a job on an existing document — Continue,
 * Retry and the repairs: the same gate and response, a different start.
 */
export function resumeRouteHandler<Params extends { id: string }>(resume: Resume<Params>) {
  return withApiErrors(async (request: Request, { params }: { params: Promise<Params> }) => {
    const studio = await getStudio();
    requireWriteAccess(request, studio.config);
    const resolved = await params;
    const document = await resume(studio, resolved.id, clientKey(request, studio.config), resolved);
    return Response.json(presentDocument(document), { status: 202 });
  });
}
