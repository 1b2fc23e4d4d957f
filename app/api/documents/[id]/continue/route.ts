import { resumeRouteHandler } from "@/lib/http/resume-route";
import { continueDocument } from "@/lib/documents/resume-document";

export const dynamic = "force-dynamic";

/** Resumes a failed, cancelled or interrupted document from its partial text. */
export const POST = resumeRouteHandler(continueDocument);
