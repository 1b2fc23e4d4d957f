/**
 * The result of type-checking a document's ```ts / ```typescript blocks: plain JSON, stored
 * with the section report, returned by the API (`typecheck`), and what a live event carries.
 * Browser-safe (types only).
 */

/** "error" counts against the code; "advisory" does not (an import of an unknown package). */
export type TypecheckSeverity = "error" | "advisory";

export interface TypecheckDiagnostic {
  /** 1-based line inside the code block (the first line after the opening fence is 1). */
  line: number;
  /** 1-based column. */
  column: number;
  /** 1-based line in the Markdown document. */
  documentLine: number;
  /** TypeScript's error number (2322 for TS2322). */
  code: number;
  message: string;
  severity: TypecheckSeverity;
}

export interface TypecheckBlock {
  /** Position among the document's ts/typescript blocks, from 0. */
  index: number;
  /** blockKey(code): how the preview finds the badge of a rendered block. */
  key: string;
  /** The section the block is in (null before the first section heading). */
  section: number | null;
  /** 1-based document line of the opening fence. */
  fenceLine: number;
  /**
   * "module": checked alone, as its own module (a fragment: names it uses without declaring
   * them are assumed from the surrounding text, see `assumed`).
   * "section-5": checked with the other blocks of section 5 as one program, in order.
   */
  checkedAs: "module" | "section-5";
  errors: number;
  advisories: number;
  /** Errors first, then advisories; at most a few dozen. */
  diagnostics: TypecheckDiagnostic[];
  /** Names a fragment uses without declaring them (taken to be `any`). */
  assumed: string[];
}

export interface TypecheckSection5 {
  /** Number of ts/typescript blocks in section 5. */
  blocks: number;
  errors: number;
  advisories: number;
  /** Diagnostics of the section-5 program, with the block each one is in. */
  diagnostics: (TypecheckDiagnostic & { block: number })[];
  /** Packages imported that the checker has no declarations for (not checked). */
  unknownModules: string[];
}

export interface TypecheckResult {
  /** "checked": the compiler ran. "unavailable": it could not (see `reason`); nothing is known about the code. */
  status: "checked" | "unavailable";
  reason: string | null;
  /** UTF-16 length of the text that was checked: a result for other text is ignored. */
  checkedLength: number;
  /** e.g. "5.9.3" (null when the compiler did not run). */
  compilerVersion: string | null;
  blocks: TypecheckBlock[];
  section5: TypecheckSection5;
  /** Time spent in the compiler. */
  ms: number;
}
