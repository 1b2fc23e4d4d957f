import { readDocumentVersion } from "@/lib/documents/document-version";
import { withApiErrors } from "@/lib/http/error-response";
import { markdownDownload } from "@/lib/http/markdown-download";
import { readDocumentForRequest } from "@/lib/http/read-document";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** The latest version, or `?version=N`. */
export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await readDocumentForRequest(studio, request, (await params).id);
  const requested = new URL(request.url).searchParams.get("version");
  if (requested === null) return markdownDownload(document.markdown, document.topic);
  const version = await readDocumentVersion(studio, document, requested);
  return markdownDownload(version.markdown, document.topic, version.version);
});
