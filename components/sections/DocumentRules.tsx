"use client";

import type { SectionReport } from "@/lib/sections/analyzer";

function linesText(lines: readonly number[] | undefined): string | null {
  if (!lines || lines.length === 0) return null;
  return `${lines.length === 1 ? "line" : "lines"} ${lines.join(", ")}`;
}

/** Whole-document rules; only meaningful once the stream has finished. */
export function DocumentRules({ report }: { report: SectionReport }) {
  return (
    <section className="sidebar-rules" data-testid="document-rules" aria-label="Whole-document rules">
      <h3 className="sidebar-rules-title">Document rules</h3>
      {!report.final ? (
        <p className="sidebar-note">Checked when the document finishes.</p>
      ) : (
        <ul className="sidebar-requirements">
          {report.rules.map((rule) => {
            const where = linesText(rule.lines);
            return (
              <li key={rule.id} className={`sidebar-requirement sidebar-requirement--${rule.met ? "met" : "unmet"}`} data-testid={`rule-${rule.id}`} data-met={rule.met ? "true" : "false"}>
                <span className="sidebar-icon" aria-hidden="true">
                  {rule.met ? "✓" : "✕"}
                </span>
                <span className="sidebar-requirement-text">
                  {rule.label}
                  {!rule.required && <span className="sidebar-advisory"> (advisory)</span>}
                  <span className="visually-hidden">: {rule.met ? "met" : "not met"}</span>
                  {!rule.met && (rule.detail || where) && (
                    <span className="sidebar-reason">
                      {rule.detail}
                      {where && ` (${where})`}
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
