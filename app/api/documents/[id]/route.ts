import { loadDocumentForRequest } from "@/lib/documents/load-document";
import { presentDocument } from "@/lib/documents/present";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await loadDocumentForRequest(studio, request, (await params).id);
  return Response.json(presentDocument(document), { headers: { "Cache-Control": "no-store" } });
});
