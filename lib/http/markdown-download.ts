import { markdownFileName } from "@/lib/documents/present";

/** A `.md` attachment named after its topic. */
export function markdownDownload(markdown: string, topic: string, version?: number): Response {
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      // The slug is ASCII-only by construction, so the header cannot be broken by a hostile topic.
      "Content-Disposition": `attachment; filename="${markdownFileName(topic, version)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
