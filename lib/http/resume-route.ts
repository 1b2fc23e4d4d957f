import "server-only";
import { presentDocument } from "@/lib/documents/present";
import type { DesignDocument } from "@/lib/documents/types";
import { getStudio, type Studio } from "@/lib/studio";
import { requireWriteAccess } from "./access";
import { clientKey } from "./client-key";
import { withApiErrors } from "./error-response";

type Resume = (studio: Studio, id: string, clientKey: string) => Promise<DesignDocument>;

/** POST handler for Continue and Retry: same gate and response, different restart. */
export function resumeRouteHandler(resume: Resume) {
  return withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const studio = await getStudio();
    requireWriteAccess(request, studio.config);
    const document = await resume(studio, (await params).id, clientKey(request, studio.config));
    return Response.json(presentDocument(document), { status: 202 });
  });
}
