import { documentFileName } from "@/lib/documents/download-name";
import { readDocumentForRequest } from "@/lib/http/read-document";
import { delegatedAccess } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { contentDisposition } from "@/lib/http/content-disposition";
import { getPdfService } from "@/lib/pdf/pdf-service";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const studio = await getStudio();
  const document = await readDocumentForRequest(studio, request, (await params).id);
  const pdf = await getPdfService(studio.config).pdfFor(document, delegatedAccess(request, studio.config));
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition("inline", documentFileName(document.topic, "pdf")),
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
