import { withApiErrors } from "@/lib/http/error-response";
import { readDocumentForRequest } from "@/lib/http/read-document";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** `{versions: [{version, createdAt, reason, satisfied}]}`, oldest first. */
export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const { id } = await readDocumentForRequest(studio, request, (await params).id);
  return Response.json({ versions: await studio.store.listVersions(id) }, { headers: { "Cache-Control": "no-store" } });
});
