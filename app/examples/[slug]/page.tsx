import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StaticDocumentView } from "@/components/document/StaticDocumentView";
import { findExampleBySlug, getLibrary } from "@/lib/examples/library";
import { analyzeSections } from "@/lib/sections/analyzer";
import { typecheckDocument } from "@/lib/typecheck/check-document";

type PageProps = { params: Promise<{ slug: string }> };

export function generateStaticParams() {
  return getLibrary().map((example) => ({ slug: example.slug }));
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const example = findExampleBySlug((await params).slug);
  return { title: example ? `${example.topic} (example) — Design Doc Studio` : "Design Doc Studio" };
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
