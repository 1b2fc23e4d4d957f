import { repairDocument } from "@/lib/documents/repair-document";
import { parseSectionNumber } from "@/lib/documents/resume-document";
import { resumeRouteHandler } from "@/lib/http/resume-route";

export const dynamic = "force-dynamic";

/** Repairs one section (1–12) of a complete document. */
export const POST = resumeRouteHandler<{ id: string; n: string }>((studio, id, requester, params) =>
  repairDocument(studio, id, requester, [parseSectionNumber(params.n)]),
);
