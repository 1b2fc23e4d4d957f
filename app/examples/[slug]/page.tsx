import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { StaticDocumentView } from "@/components/document/StaticDocumentView";
import { findExampleBySlug, getLibrary } from "@/lib/examples/library";
import { getConfig } from "@/lib/config/env";
import { publicOrigin } from "@/lib/http/public-origin";
import { documentMetadata } from "@/lib/og/document-metadata";
import { analyzeSections } from "@/lib/sections/analyzer";
import { typecheckDocument } from "@/lib/typecheck/check-document";

type PageProps = { params: Promise<{ slug: string }> };

export function generateStaticParams() {
  return getLibrary().map((example) => ({ slug: example.slug }));
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const example = findExampleBySlug((await params).slug);
  if (!example) return { title: "Design Doc Studio" };
  const report = analyzeSections(example.markdown, { final: true });
  return documentMetadata({
    topic: example.topic,
    markdown: example.markdown,
    path: `/examples/${example.slug}`,
    imagePath: `/examples/${example.slug}/og-image`,
    origin: publicOrigin(await headers(), getConfig()),
    satisfied: { count: report.satisfied, total: report.total },
  });
}

export default async function ExamplePage({ params }: PageProps) {
  const { slug } = await params;
  const example = findExampleBySlug(slug);
  if (!example) notFound();
  // Rendered at build time (static params): the type check runs in the worker then, not per request.
  const report = analyzeSections(example.markdown, { final: true, typecheck: await typecheckDocument(example.markdown) });
  return (
    <StaticDocumentView
      markdown={example.markdown}
      report={report}
      toolbar={
        <div className="doc-toolbar">
          <span className="status-badge">example</span>
          <a className="button" href={`/examples/${example.slug}/markdown`} download>
            Download .md
          </a>
        </div>
      }
    />
  );
}
