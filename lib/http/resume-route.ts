import "server-only";
import type { Requester } from "@/lib/documents/requester";
import { presentDocument } from "@/lib/documents/present";
import type { DesignDocument } from "@/lib/documents/types";
import type { Studio } from "@/lib/studio";
import { documentActionRoute } from "./document-action-route";

type Resume = (studio: Studio, id: string, requester: Requester) => Promise<DesignDocument>;

/** POST handler for Continue and Retry: same gate and response, different restart. */
export function resumeRouteHandler(resume: Resume) {
  return documentActionRoute(async (studio, id, requester) => Response.json(presentDocument(await resume(studio, id, requester)), { status: 202 }));
}
