import { resumeRouteHandler } from "@/lib/http/resume-route";
import { retryDocument } from "@/lib/documents/resume-document";

export const dynamic = "force-dynamic";

/** Starts a document over from nothing. */
export const POST = resumeRouteHandler(retryDocument);
