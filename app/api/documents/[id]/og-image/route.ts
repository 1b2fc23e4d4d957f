import { readDocumentForRequest } from "@/lib/http/read-document";
import { withApiErrors } from "@/lib/http/error-response";
import { documentCard } from "@/lib/og/document-card";
import { analyzeSections } from "@/lib/sections/analyzer";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** The link-preview image (og:image): topic and satisfied sections. Same read access as the document. */
export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await readDocumentForRequest(studio, request, (await params).id);
  const report = document.report ?? analyzeSections(document.markdown, { final: document.status !== "generating" });
  return documentCard({ topic: document.topic, report, shared: !studio.config.privateReads });
});
