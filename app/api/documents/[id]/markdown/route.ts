import { loadDocumentForRequest } from "@/lib/documents/load-document";
import { documentFileName } from "@/lib/documents/download-name";
import { contentDisposition } from "@/lib/http/content-disposition";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await loadDocumentForRequest(studio, request, (await params).id);
  return new Response(document.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", documentFileName(document.topic, "md")),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
