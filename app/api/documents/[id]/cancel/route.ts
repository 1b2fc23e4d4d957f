import { cancelDocument } from "@/lib/documents/cancel-document";
import { presentDocument } from "@/lib/documents/present";
import { requireReadAccess, requireWriteAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** Stops the job (aborting the upstream model request) and answers with the stored result. Idempotent. */
export const POST = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  requireWriteAccess(request, studio.config);
  requireReadAccess(request, studio.config);
  return Response.json(presentDocument(await cancelDocument(studio, (await params).id)));
});
