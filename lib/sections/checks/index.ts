/** Section number → its check. Order matches SECTIONS in ../rubric. */
import { realProblemCheck } from "./s01-real-problem";
import { incorrectApproachesCheck } from "./s02-incorrect-approaches";
import { mentalModelCheck } from "./s03-mental-model";
import { correctDesignCheck } from "./s04-correct-design";
import { implementationCheck } from "./s05-implementation";
import { usagePatternsCheck } from "./s06-usage-patterns";
import { failureModesCheck } from "./s07-failure-modes";
import { performanceCheck } from "./s08-performance";
import { footGunsCheck } from "./s09-foot-guns";
import { whenNotToUseCheck } from "./s10-when-not-to-use";
import { relatedConceptsCheck } from "./s11-related-concepts";
import { readinessChecklistCheck } from "./s12-readiness-checklist";
import type { SectionCheck } from "./types";

// Each check has its own state type; the analyzer only stores and passes it back.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCheck = SectionCheck<any>;

export const SECTION_CHECKS: readonly AnyCheck[] = [
  realProblemCheck,
  incorrectApproachesCheck,
  mentalModelCheck,
  correctDesignCheck,
  implementationCheck,
  usagePatternsCheck,
  failureModesCheck,
  performanceCheck,
  footGunsCheck,
  whenNotToUseCheck,
  relatedConceptsCheck,
  readinessChecklistCheck,
];

export type { SectionCheck, Verdict } from "./types";
