import { documentFileName } from "@/lib/documents/download-name";
import { contentDisposition } from "./content-disposition";

/** A `.md` attachment named after its topic (an ASCII fallback beside the UTF-8 name); `version`: an earlier version asked for by number. */
export function markdownDownload(markdown: string, topic: string, version?: number): Response {
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", documentFileName(topic, "md", version)),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
