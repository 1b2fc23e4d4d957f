import { presentDocument } from "@/lib/documents/present";
import { parseSectionNumber, retrySection } from "@/lib/documents/resume-document";
import { documentActionRoute } from "@/lib/http/document-action-route";

export const dynamic = "force-dynamic";

/** Parallel mode: writes one section again from nothing, keeping every other part. */
export const POST = documentActionRoute<{ id: string; n: string }>(async (studio, id, requester, params) => {
  const document = await retrySection(studio, id, parseSectionNumber(params.n), requester);
  return Response.json(presentDocument(document), { status: 202 });
});
