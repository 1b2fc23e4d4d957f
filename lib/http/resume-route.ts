import "server-only";
import { presentDocument } from "@/lib/documents/present";
import type { DesignDocument } from "@/lib/documents/types";
import type { Studio } from "@/lib/studio";
import { requireWriteAccess } from "./access";
import { clientKey } from "./client-key";
import { documentActionRoute } from "./document-action-route";

type Resume = (studio: Studio, id: string, clientKey: string) => Promise<DesignDocument>;

/** POST handler for Continue and Retry: same gate and response, different restart. */
export function resumeRouteHandler(resume: Resume) {
  return documentActionRoute(async (studio, id, request) => {
    requireWriteAccess(request, studio.config);
    const document = await resume(studio, id, clientKey(request, studio.config));
    return Response.json(presentDocument(document), { status: 202 });
  });
}
