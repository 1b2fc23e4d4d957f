import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { DocumentWorkspace } from "@/components/document/DocumentWorkspace";
import { loadDocument } from "@/lib/documents/load-document";
import { documentPath } from "@/lib/documents/paths";
import { presentDocument } from "@/lib/documents/present";
import { ACCESS_COOKIE, cookieHasAccess } from "@/lib/http/access";
import { publicOrigin } from "@/lib/http/public-origin";
import { documentMetadata } from "@/lib/og/document-metadata";
import { analyzeSections } from "@/lib/sections/analyzer";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

type PageProps = { params: Promise<{ id: string }> };

/** Link previews for public documents only: under PRIVATE_READS the page exposes no title, text or image. */
export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const studio = await getStudio();
  const document = studio.config.privateReads ? null : await loadDocument(studio, (await params).id);
  if (!document) return { title: "Design Doc Studio" };
  const report = document.report ?? analyzeSections(document.markdown, { final: document.status !== "generating" });
  return documentMetadata({
    topic: document.topic,
    markdown: document.markdown,
    path: `/d/${document.id}`,
    imagePath: `/api/documents/${document.id}/og-image`,
    origin: publicOrigin(await headers(), studio.config),
    satisfied: { count: report.satisfied, total: report.total },
  });
}

/** The permalink: rendered on the server with the text so far, then follows the live stream. */
export default async function DocumentPage({ params }: PageProps) {
  const { id } = await params;
  const studio = await getStudio();
  if (studio.config.privateReads && !cookieHasAccess((await cookies()).get(ACCESS_COOKIE)?.value, studio.config)) {
    redirect(`/signin?next=${encodeURIComponent(documentPath(id))}`);
  }
  const document = await loadDocument(studio, id);
  if (!document) notFound();
  // A parallel document being written shows its parts in place from the first render.
  const parallel = document.status === "generating" ? document.parallel : null;
  return <DocumentWorkspace key={document.id} initial={presentDocument(document)} initialParallel={parallel} />;
}
