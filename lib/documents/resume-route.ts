import { requireWriteAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio, type Studio } from "@/lib/studio";
import { presentDocument } from "./present";
import type { DesignDocument } from "./types";

type Resume = (studio: Studio, id: string) => Promise<DesignDocument>;

/** POST handler for Continue and Retry: same gate and response, different restart. */
export function resumeRouteHandler(resume: Resume) {
  return withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const studio = await getStudio();
    requireWriteAccess(request, studio.config);
    const document = await resume(studio, (await params).id);
    return Response.json(presentDocument(document), { status: 202 });
  });
}
