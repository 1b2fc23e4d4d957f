/** Report shapes (JSON-serialisable: stored in the DB and returned by the API as `sections`). */
export type { RuleResult } from "./document-rules";
import type { RuleResult } from "./document-rules";

export type SectionState = "pending" | "writing" | "satisfied" | "incomplete" | "missing";

export interface RequirementResult {
  id: string;
  label: string;
  met: boolean;
  required: boolean;
  reason: string;
}

export interface SectionResult {
  number: number;
  title: string;
  state: SectionState;
  requirements: RequirementResult[];
  /** UTF-16 range of the section: heading line start .. next section heading start. */
  start: number | null;
  end: number | null;
  /** Visible text of the heading line as written (Markdown markers stripped). */
  heading: string | null;
}

export interface SectionReport {
  final: boolean;
  satisfied: number;
  total: number;
  sections: SectionResult[];
  rules: RuleResult[];
}

export interface ReportOptions {
  /** true once the stream has ended. */
  final?: boolean;
  /** When given, the H1 rule also checks that the title names this topic. */
  topic?: string;
}
