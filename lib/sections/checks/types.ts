/** Contract every per-section check implements. State is plain, cloneable data. */
import type { OpenFence } from "../fence";
import type { LineInfo } from "../line";

export interface Verdict {
  met: boolean;
  reason: string;
}

export interface SectionCheck<S> {
  create(): S;
  /** A finished line outside fences inside this section (never the section heading). */
  line(state: S, line: LineInfo): void;
  fenceOpen?(state: S, fence: OpenFence): void;
  /** A line inside a fenced block opened in this section. */
  codeLine?(state: S, raw: string, fence: OpenFence): void;
  /** The block closed (or the document ended inside it). */
  fenceClose?(state: S, fence: OpenFence): void;
  /** One verdict per requirement id of the section's RequirementDef list. */
  evaluate(state: S): Record<string, Verdict>;
}

export const met = (reason: string): Verdict => ({ met: true, reason });
export const unmet = (reason: string): Verdict => ({ met: false, reason });
export const verdict = (ok: boolean, yes: string, no: string): Verdict => (ok ? met(yes) : unmet(no));
