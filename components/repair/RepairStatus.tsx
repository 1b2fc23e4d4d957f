"use client";

import { currentRound, isRepairInFlight, type RepairRecord, type RepairSectionRecord } from "@/lib/repair/record";

const OUTCOME_TEXT: Record<RepairSectionRecord["state"], string> = {
  queued: "waiting",
  streaming: "being rewritten…",
  judging: "being checked…",
  accepted: "repaired",
  rejected: "original kept",
  failed: "repair failed, original kept",
  stopped: "stopped",
};

/**
 * What the repair is doing or did: the round, each section being rewritten and the items being
 * fixed, and for each finished one whether its replacement was kept, and why not.
 */
export function RepairStatus({ repair }: { repair: RepairRecord | null }) {
  const round = currentRound(repair);
  if (!repair || !round) return null;
  const running = repair.status === "running";
  const inFlight = round.sections.filter((section) => isRepairInFlight(section.state));
  return (
    <section className="repair-status" data-testid="repair-status" data-status={repair.status} aria-live="polite">
      <p className="repair-status-title">
        {running
          ? `Repairing ${inFlight.length === 1 ? "section" : "sections"} ${inFlight.map((section) => section.number).join(", ")} — round ${round.round} of ${repair.maxRounds}`
          : repair.status === "stopped"
            ? `Repair stopped in round ${round.round}: Continue resumes it.`
            : `Repair finished after ${repair.rounds.length} round${repair.rounds.length === 1 ? "" : "s"}.`}
      </p>
      <ul className="repair-status-sections">
        {round.sections.map((section) => (
          <li key={section.number} data-testid={`repair-status-${section.number}`} data-state={section.state}>
            <strong>
              {section.number}. {section.title}
            </strong>
            : {OUTCOME_TEXT[section.state]}
            {isRepairInFlight(section.state) ? <span className="repair-status-items"> — fixing: {section.items.map((item) => item.label).join("; ")}</span> : null}
            {section.reason && !isRepairInFlight(section.state) ? <span className="repair-status-reason"> — {section.reason}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
