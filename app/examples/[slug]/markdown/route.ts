import { documentFileName } from "@/lib/documents/download-name";
import { findExampleBySlug } from "@/lib/examples/library";
import { contentDisposition } from "@/lib/http/content-disposition";
import { ApiError, withApiErrors } from "@/lib/http/api-error";

export const GET = withApiErrors(async (_request: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const example = findExampleBySlug((await params).slug);
  if (!example) throw new ApiError(404, "not_found", "No example with this name.");
  return new Response(example.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", documentFileName(example.topic, "md")),
    },
  });
});
