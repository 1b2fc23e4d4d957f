import { withApiErrors } from "@/lib/http/error-response";
import { markdownDownload } from "@/lib/http/markdown-download";
import { readDocumentForRequest } from "@/lib/http/read-document";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await readDocumentForRequest(studio, request, (await params).id);
  return markdownDownload(document.markdown, document.topic);
});
