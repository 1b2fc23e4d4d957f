import { loadDocumentForRequest } from "@/lib/documents/load-document";
import { presentDocument } from "@/lib/documents/present";
import { requireWriteAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** Stops the job (aborting the upstream model request) and answers with the stored result. Idempotent. */
export const POST = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  requireWriteAccess(request, studio.config);
  const { id } = await params;
  await loadDocumentForRequest(studio, request, id);
  await studio.registry.cancel(id);
  return Response.json(presentDocument(await loadDocumentForRequest(studio, request, id)));
});
