import { loadDocumentForRequest } from "@/lib/documents/load-document";
import { markdownFileName } from "@/lib/documents/present";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await loadDocumentForRequest(studio, request, (await params).id);
  return new Response(document.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      // The slug is ASCII-only by construction, so the header cannot be broken by a hostile topic.
      "Content-Disposition": `attachment; filename="${markdownFileName(document.topic)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
