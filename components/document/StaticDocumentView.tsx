"use client";

import { useRef } from "react";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { SectionSidebar } from "@/components/sections/SectionSidebar";
import type { SectionReport } from "@/lib/sections/analyzer";
import { scrollToSection } from "./scroll-to-section";

/** A finished document that never streams (the example library). */
export function StaticDocumentView({ markdown, report, toolbar }: { markdown: string; report: SectionReport; toolbar?: React.ReactNode }) {
  // The report carries the type check it was built with: the code blocks get their badges from it.
  const documentRef = useRef<HTMLDivElement>(null);
  return (
    <div className="workspace">
      <section aria-label="Document">
        {toolbar}
        <div ref={documentRef}>
          <MarkdownPreview markdown={markdown} streaming={false} typecheck={report.typecheck} />
        </div>
      </section>
      <aside className="workspace-aside" aria-label="Section compliance">
        <SectionSidebar report={report} onSelectSection={(section) => scrollToSection(documentRef.current, section)} />
      </aside>
    </div>
  );
}
