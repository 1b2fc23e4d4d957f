"use client";

import { useCallback, useLayoutEffect, useRef } from "react";
import type { RepairSectionRecord } from "@/lib/repair/record";
import type { SectionReport, SectionResult } from "@/lib/sections/analyzer";
import { DocumentRules } from "./DocumentRules";
import { SectionAnnouncer } from "./SectionAnnouncer";
import { sectionSignature } from "./section-display";
import { SectionRow } from "./SectionRow";
import "./section-sidebar.css";

export interface SectionSidebarProps {
  report: SectionReport;
  onSelectSection?: (section: SectionResult) => void;
  /** Sections being rewritten now, with the items being fixed: their rows show "repairing". */
  repairing?: ReadonlyMap<number, RepairSectionRecord>;
  /** A Repair button on every incomplete or missing section (absent: no buttons). */
  onRepairSection?: (number: number) => void;
}

/**
 * The 12 mandatory sections with their live state and checklist. Rows are memoized by
 * a cheap signature, so a per-frame update while streaming re-renders only the row
 * that changed (normally the section being written).
 */
export function SectionSidebar({ report, onSelectSection, repairing, onRepairSection }: SectionSidebarProps) {
  // Callers usually pass an inline arrow; a stable wrapper keeps the row memo effective.
  const latestSelect = useRef(onSelectSection);
  useLayoutEffect(() => {
    latestSelect.current = onSelectSection;
  });
  const stableSelect = useCallback((section: SectionResult) => latestSelect.current?.(section), []);
  const select = onSelectSection ? stableSelect : undefined;
  const checking = report.sections.filter((section) => section.state === "checking").length;
  return (
    <section className="sidebar" data-testid="section-sidebar" aria-label="Mandatory sections">
      <header className="sidebar-header">
        <h2 className="sidebar-heading">Sections</h2>
        <p className="sidebar-count" data-testid="section-count">
          {report.satisfied} / {report.total} satisfied
          {checking > 0 ? <span data-testid="section-checking-count">, {checking} checking…</span> : null}
        </p>
      </header>
      <SectionAnnouncer report={report} />
      <ol className="sidebar-sections">
        {report.sections.map((section) => (
          <SectionRow
            key={section.number}
            section={section}
            signature={sectionSignature(section, repairing?.get(section.number))}
            onSelectSection={select}
            repairing={repairing?.get(section.number)}
            onRepair={onRepairSection}
          />
        ))}
      </ol>
      <DocumentRules report={report} />
    </section>
  );
}
