"use client";

import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { ReaderActions } from "@/components/reader/ReaderActions";
import { ReaderLayout } from "@/components/reader/ReaderLayout";
import type { SectionReport } from "@/lib/sections/analyzer";

/** A finished document that never streams (the example library). */
export function StaticDocumentView({ markdown, report, toolbar }: { markdown: string; report: SectionReport; toolbar?: React.ReactNode }) {
  // The report carries the type check it was built with: the code blocks get their badges from it.
  return (
    <ReaderLayout
      report={report}
      version={markdown.length}
      top={
        <div className="doc-actions-row">
          {toolbar}
          <ReaderActions />
        </div>
      }
    >
      <MarkdownPreview markdown={markdown} streaming={false} typecheck={report.typecheck} />
    </ReaderLayout>
  );
}
