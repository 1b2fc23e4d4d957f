import { documentFileName } from "@/lib/documents/download-name";
import { contentDisposition } from "./content-disposition";

/** A `.md` attachment named after its topic (an ASCII fallback beside the UTF-8 name). */
export function markdownDownload(markdown: string, topic: string): Response {
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", documentFileName(topic, "md")),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
