import { openDocumentStream } from "@/lib/documents/document-stream";
import { isDocumentId } from "@/lib/documents/present";
import { requireReadAccess } from "@/lib/http/access";
import { ApiError, withApiErrors } from "@/lib/http/api-error";
import { resumeOffset, SSE_HEADERS } from "@/lib/http/sse";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  requireReadAccess(request, studio.config);
  const { id } = await params;
  const stream = isDocumentId(id) ? await openDocumentStream(studio, id, resumeOffset(request), request.signal) : null;
  if (!stream) throw new ApiError(404, "not_found", "No document with this id.");
  return new Response(stream, { headers: SSE_HEADERS });
});
