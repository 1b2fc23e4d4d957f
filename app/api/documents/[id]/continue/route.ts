import { presentDocument } from "@/lib/documents/present";
import { continueDocument } from "@/lib/documents/resume-document";
import { requireWriteAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const POST = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  requireWriteAccess(request, studio.config);
  const document = await continueDocument(studio, (await params).id);
  return Response.json(presentDocument(document), { status: 202 });
});
