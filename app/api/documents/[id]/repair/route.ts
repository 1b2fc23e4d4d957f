import { repairDocument } from "@/lib/documents/repair-document";
import { resumeRouteHandler } from "@/lib/http/resume-route";

export const dynamic = "force-dynamic";

/** Repairs every section of a complete document that is not satisfied. */
export const POST = resumeRouteHandler((studio, id, requester) => repairDocument(studio, id, requester, null));
