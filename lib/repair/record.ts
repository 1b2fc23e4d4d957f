/**
 * What a repair did, as plain JSON: stored with the document, returned by GET /api/documents/{id}
 * (`repair`), and sent to readers as the `repair` event. Browser-safe (types and pure helpers).
 */

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export const NO_USAGE: TokenUsage = Object.freeze({ inputTokens: 0, outputTokens: 0 });

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

/**
 * One section's attempt in a round: `queued` → `streaming` (the model writes the replacement) →
 * `judging` (the checker, and for section 5 the type check, compare it with the original) →
 * `accepted` or `rejected` (the original is kept; `reason` says why). `failed`: the request
 * failed (timeout, provider error); `stopped`: cancelled or interrupted before it finished.
 */
export type RepairSectionState = "queued" | "streaming" | "judging" | "accepted" | "rejected" | "failed" | "stopped";

/** True while the section may still change in this round. */
export function isRepairInFlight(state: RepairSectionState): boolean {
  return state === "queued" || state === "streaming" || state === "judging";
}

export interface RepairItem {
  id: string;
  /** The unmet item in plain words. */
  label: string;
  /** The checker's reason. */
  reason: string;
}

export interface RepairSectionRecord {
  number: number;
  title: string;
  state: RepairSectionState;
  /** The required items being fixed (unmet when the round started). */
  items: RepairItem[];
  /** Why it was accepted, kept out, or failed. */
  reason: string | null;
  /** Items the accepted replacement meets that the original did not. */
  gained: string[];
  usage: TokenUsage;
  ms: number;
}

export interface RepairRoundRecord {
  round: number;
  /** The version the round repaired. */
  baseVersion: number;
  /** The version it produced (null: no replacement was accepted). */
  version: number | null;
  startedAt: string;
  endedAt: string | null;
  sections: RepairSectionRecord[];
  usage: TokenUsage;
  ms: number;
}

export interface RepairRecord {
  /** `auto`: after the first pass; `manual`: Repair on the page or the API. */
  trigger: "auto" | "manual";
  /** The sections asked for (a section's Repair button), or null: every section not satisfied. */
  target: number[] | null;
  /** `running` until the last round ends; `stopped` when cancelled or interrupted (Continue resumes it). */
  status: "running" | "finished" | "stopped";
  maxRounds: number;
  /** The version the repair started from. */
  fromVersion: number;
  startedAt: string;
  endedAt: string | null;
  rounds: RepairRoundRecord[];
  /** What the first pass cost, to compare (null for a repair by hand). */
  firstPass: { usage: TokenUsage; ms: number } | null;
}

/** The in-flight text of a section's replacement (checkpointed, so Continue resumes it). */
export interface RepairDraft {
  number: number;
  round: number;
  text: string;
}

/** The round in progress (or the last one). */
export function currentRound(record: RepairRecord | null): RepairRoundRecord | null {
  return record?.rounds[record.rounds.length - 1] ?? null;
}

/** Sections being repaired right now: number → the items being fixed. */
export function sectionsInRepair(record: RepairRecord | null): Map<number, RepairSectionRecord> {
  const map = new Map<number, RepairSectionRecord>();
  if (record?.status !== "running") return map;
  for (const section of currentRound(record)?.sections ?? []) if (isRepairInFlight(section.state)) map.set(section.number, section);
  return map;
}

export function totalRepairUsage(record: RepairRecord): TokenUsage {
  return record.rounds.reduce((sum, round) => addUsage(sum, round.usage), NO_USAGE);
}

/**
 * The record with each section's reason passed through `redact`: a failed request's reason quotes
 * the provider's error message, which is untrusted (it can quote a key).
 */
export function redactRepairRecord(record: RepairRecord, redact: (text: string) => string): RepairRecord {
  return {
    ...record,
    rounds: record.rounds.map((round) => ({
      ...round,
      sections: round.sections.map((section) => (section.reason === null ? section : { ...section, reason: redact(section.reason) })),
    })),
  };
}
