import { requireDocument } from "@/lib/documents/load-document";
import { openDocumentEvents } from "@/lib/documents/open-document-events";
import { requireReadAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { createEventStream, SSE_HEADERS } from "@/lib/http/event-stream";
import { resumePosition } from "@/lib/http/resume-position";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  requireReadAccess(request, studio.config);
  const { id } = await params;
  const position = resumePosition(request);
  if (position.kind === "ended") {
    // The reader saw this stream's `end`: 204 is the event-stream signal to stop reconnecting.
    await requireDocument(studio, id);
    return new Response(null, { status: 204 });
  }
  const source = await openDocumentEvents(studio, id, position.offset);
  return new Response(createEventStream(source, request.signal), { headers: SSE_HEADERS });
});
