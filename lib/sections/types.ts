/** Report shapes (JSON-serialisable: stored in the DB and returned by the API as `sections`). */
export type { RuleResult } from "./document-rules";
import type { TypecheckResult } from "@/lib/typecheck/result";
import type { RuleResult } from "./document-rules";

/**
 * "checking": every item the text shows is met, but an item judged on the server (the type
 * check) has no result yet. Neither satisfied nor incomplete; a stored final report never has it.
 */
export type SectionState = "pending" | "writing" | "checking" | "satisfied" | "incomplete" | "missing";

export interface RequirementResult {
  id: string;
  label: string;
  met: boolean;
  /**
   * As in the rubric, except for an item whose server-side check could not run: it is then
   * reported unmet but not required (nothing is known about the document either way).
   */
  required: boolean;
  reason: string;
  /** Present (true) while the item waits for its server-side check: neither met nor failed. */
  pending?: true;
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
  /** The type check the report was built with (stored with the final report). */
  typecheck?: TypecheckResult;
}

export interface ReportOptions {
  /** true once the stream has ended. */
  final?: boolean;
  /** When given, the H1 rule also checks that the title names this topic. */
  topic?: string;
  /**
   * The server's type check of this text. Without it (or when it was made for other text)
   * the section-5 item "the code type-checks" is pending.
   */
  typecheck?: TypecheckResult;
}
