"use client";

import { useRef, useState, type ReactNode } from "react";
import { scrollToSection } from "@/components/document/scroll-to-section";
import { SectionSidebar, type SectionSidebarProps } from "@/components/sections/SectionSidebar";
import type { SectionReport } from "@/lib/sections/analyzer";
import { DocumentOutline } from "./DocumentOutline";
import "./reader.css";

interface ReaderLayoutProps {
  /** Above the document: topic, status, actions, alerts. */
  top?: ReactNode;
  /** The rendered document (MarkdownPreview or its placeholder). */
  children: ReactNode;
  report: SectionReport;
  /** Changes when the rendered text changes (its length, or which version is shown), for the table of contents. */
  version: number | string;
  /** The live repair on the sidebar: rows being rewritten, and a Repair button per incomplete section. */
  sidebar?: Pick<SectionSidebarProps, "repairing" | "onRepairSection">;
}

/**
 * A document with its aside: table of contents and section compliance. On wide screens the aside
 * is a sticky column; on narrow ones (≤ 960 px) it sits above the document as a collapsed summary
 * that opens with one button, so the document starts on the first screen.
 */
export function ReaderLayout({ top, children, report, version, sidebar }: ReaderLayoutProps) {
  const documentRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState(false);
  return (
    <div className="workspace">
      <section aria-label="Document" className="workspace-document">
        {top}
        <div ref={documentRef}>{children}</div>
      </section>
      <aside className="workspace-aside" aria-label="Contents and section compliance" data-testid="workspace-aside">
        <button type="button" className="aside-toggle" aria-expanded={expanded} aria-controls="aside-panel" onClick={() => setExpanded((value) => !value)}>
          <span>
            Contents · {report.satisfied} / {report.total} sections satisfied
          </span>
        </button>
        <div className="aside-panel" id="aside-panel" data-collapsed={expanded ? "false" : "true"}>
          <DocumentOutline documentRef={documentRef} version={version} />
          <SectionSidebar report={report} onSelectSection={(section) => scrollToSection(documentRef.current, section)} {...sidebar} />
        </div>
      </aside>
    </div>
  );
}
