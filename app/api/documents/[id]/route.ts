import { deleteDocument } from "@/lib/documents/delete-document";
import { presentDocument } from "@/lib/documents/present";
import { documentActionRoute } from "@/lib/http/document-action-route";
import { withApiErrors } from "@/lib/http/error-response";
import { readDocumentForRequest } from "@/lib/http/read-document";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await readDocumentForRequest(studio, request, (await params).id);
  return Response.json(presentDocument(document), { headers: { "Cache-Control": "no-store" } });
});

/** Removes the document (stopping it first): its creator or an ACCESS_TOKEN holder. */
export const DELETE = documentActionRoute(async (studio, id, requester) => {
  await deleteDocument(studio, id, requester);
  return new Response(null, { status: 204 });
});
