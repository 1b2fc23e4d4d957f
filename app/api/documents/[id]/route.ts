import { presentDocument } from "@/lib/documents/present";
import { withApiErrors } from "@/lib/http/error-response";
import { readDocumentForRequest } from "@/lib/http/read-document";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await readDocumentForRequest(studio, request, (await params).id);
  return Response.json(presentDocument(document), { headers: { "Cache-Control": "no-store" } });
});
