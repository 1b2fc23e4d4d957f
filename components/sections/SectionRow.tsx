"use client";

import { memo } from "react";
import type { RepairSectionRecord } from "@/lib/repair/record";
import type { SectionResult } from "@/lib/sections/analyzer";
import { requirementStatus, STATE_ICON, STATE_TEXT, unmetDescription } from "./section-display";

interface SectionRowProps {
  section: SectionResult;
  /** sectionSignature(section); the memo compares this instead of the object. */
  signature: string;
  onSelectSection?: (section: SectionResult) => void;
  /** The section is being rewritten: the row says so, with the items being fixed. */
  repairing?: RepairSectionRecord;
  /** Offers a Repair button when the section is incomplete or missing. */
  onRepair?: (number: number) => void;
}

const STATUS_TEXT = { met: "met", unmet: "not met", "not-yet": "not yet", checking: "checking…" } as const;
const STATUS_ICON = { met: "✓", unmet: "✕", "not-yet": "·", checking: "…" } as const;

/**
 * One section: the <summary> (state icon, title, state) opens its checklist; actions on the
 * section (Go to, Repair) sit beside it in `.sidebar-row-actions`, never inside the summary (a
 * control inside another control is unreachable for assistive technology). Add further row
 * actions there.
 */
function SectionRowView({ section, onSelectSection, repairing, onRepair }: SectionRowProps) {
  const selectable = onSelectSection !== undefined && section.start !== null;
  const title = `${section.number}. ${section.title}`;
  const state = repairing ? "repairing" : section.state;
  const repairable = !repairing && onRepair !== undefined && (section.state === "incomplete" || section.state === "missing");
  return (
    <li className={`sidebar-section sidebar-section--${state}`} data-testid={`section-${section.number}`} data-state={state}>
      <details className="sidebar-details">
        <summary className="sidebar-summary" title={section.heading ?? undefined}>
          <span className="sidebar-icon" aria-hidden="true">
            {repairing ? "↻" : STATE_ICON[section.state]}
          </span>
          <span className="sidebar-title">{title}</span>
          <span className="sidebar-state">{repairing ? "Repairing…" : STATE_TEXT[section.state]}</span>
        </summary>
        {repairing ? (
          <p className="sidebar-repairing" data-testid={`repairing-${section.number}`}>
            Fixing: {repairing.items.map((item) => item.label).join("; ")}
          </p>
        ) : null}
        <ul className="sidebar-requirements" aria-label={`Checklist for section ${section.number}`}>
          {section.requirements.map((req) => {
            const status = requirementStatus(section, req);
            return (
              <li
                key={req.id}
                className={`sidebar-requirement sidebar-requirement--${status}`}
                data-testid={`requirement-${section.number}-${req.id}`}
                data-met={req.met ? "true" : "false"}
              >
                <span className="sidebar-icon" aria-hidden="true">
                  {STATUS_ICON[status]}
                </span>
                <span className="sidebar-requirement-text">
                  {req.label}
                  {!req.required && <span className="sidebar-advisory"> (advisory)</span>}
                  {status === "checking" && <span className="sidebar-checking"> checking…</span>}
                  <span className="visually-hidden">: {STATUS_TEXT[status]}</span>
                  {status === "unmet" && (
                    <span className="sidebar-reason">
                      {unmetDescription(section.number, req.id) ?? req.label}. {req.reason}
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      </details>
      {selectable || repairable ? (
        <span className="sidebar-row-actions">
          {selectable ? (
            <button type="button" className="sidebar-action" onClick={() => onSelectSection?.(section)} aria-label={`Go to section ${title}`}>
              Go to
            </button>
          ) : null}
          {repairable ? (
            <button
              type="button"
              className="sidebar-action sidebar-repair"
              data-testid={`repair-section-${section.number}`}
              onClick={() => onRepair?.(section.number)}
              aria-label={`Repair section ${title}`}
            >
              Repair
            </button>
          ) : null}
        </span>
      ) : null}
    </li>
  );
}

export const SectionRow = memo(
  SectionRowView,
  (prev, next) => prev.signature === next.signature && prev.onSelectSection === next.onSelectSection && prev.onRepair === next.onRepair,
);

