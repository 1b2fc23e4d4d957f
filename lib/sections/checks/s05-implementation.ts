/** Section 5 — Full Production-Grade Implementation. Only ```ts/```typescript code counts. */
import { isTypeScript, type OpenFence } from "../fence";
import { bracketScan, newBracketState, type BracketState } from "./brackets";
import { met, unmet, verdict, type SectionCheck } from "./types";

/** Non-blank TypeScript lines; ~60 lines with blank lines included. */
const MIN_TS_LINES = 50;

const FEATURES: readonly [string, RegExp][] = [
  ["async", /\basync\b/],
  ["await", /\bawait\b/],
  ["timeouts", /settimeout|timeout|deadline/i],
  ["cancellation", /abortsignal|abortcontroller|\bsignal\b|\.abort\(|cancel/i],
  ["cleanup", /\bfinally\b|cleartimeout|clearinterval|removeeventlistener|\.release\(|\.close\(|\.destroy\(|\.quit\(|\.disconnect\(|\.end\(\)|dispose|\.delete\(/i],
  ["errors", /\bthrow\b|\breject\(|promise\.reject/i],
  ["integration", /redis|\bpg\b|postgres|pool\.query|\bfetch\(|https?:|undici|axios|prisma|knex|\bsql\b|\.query\(/i],
];

interface State {
  tsLines: number;
  otherCodeLines: number;
  features: string[];
  block: BracketState;
  unbalancedBlocks: number;
  tsBlocks: number;
}

export const implementationCheck: SectionCheck<State> = {
  create: () => ({ tsLines: 0, otherCodeLines: 0, features: [], block: newBracketState(), unbalancedBlocks: 0, tsBlocks: 0 }),
  line() {
    // Prose does not count: everything required here must be in the code.
  },
  fenceOpen(s, fence) {
    if (isTypeScript(fence)) s.block = newBracketState();
  },
  codeLine(s, raw, fence: OpenFence) {
    if (!isTypeScript(fence)) {
      if (raw.trim() !== "") s.otherCodeLines++;
      return;
    }
    if (raw.trim() !== "") s.tsLines++;
    for (const [feature, pattern] of FEATURES) if (!s.features.includes(feature) && pattern.test(raw)) s.features.push(feature);
    bracketScan(s.block, raw);
  },
  fenceClose(s, fence) {
    if (!isTypeScript(fence)) return;
    s.tsBlocks++;
    if (s.block.depth !== 0 || s.block.negative) s.unbalancedBlocks++;
  },
  evaluate(s) {
    const has = (feature: string) => s.features.includes(feature);
    const code =
      s.tsLines >= MIN_TS_LINES
        ? met(`${s.tsLines} lines of TypeScript.`)
        : unmet(
            s.tsLines === 0 && s.otherCodeLines > 0
              ? "Code is present but not in a ```ts / ```typescript block."
              : `Only ${s.tsLines} non-blank lines of TypeScript (need about ${MIN_TS_LINES}+).`,
          );
    return {
      "typescript-code": code,
      "async-await": verdict(has("async") && has("await"), "Uses async/await.", has("async") ? "Declares async functions but never awaits." : "No async/await in the TypeScript code."),
      timeouts: verdict(has("timeouts"), "Has timeouts.", "No timeout (setTimeout, AbortSignal.timeout, deadline) in the code."),
      cancellation: verdict(has("cancellation"), "Supports cancellation.", "No AbortSignal/AbortController or other cancellation in the code."),
      cleanup: verdict(has("cleanup"), "Cleans up.", "No cleanup (finally, clearTimeout, removeEventListener, release, close) in the code."),
      "error-propagation": verdict(has("errors"), "Propagates errors.", "Errors are never thrown or rejected to the caller."),
      integration: verdict(has("integration"), "Integrates with Redis/DB/HTTP.", "No Redis, database or HTTP calls in the code."),
      parses: verdict(
        s.tsBlocks > 0 && s.unbalancedBlocks === 0,
        "Brackets balance in every TypeScript block.",
        s.tsBlocks === 0 ? "No TypeScript block to check." : `${s.unbalancedBlocks} TypeScript block(s) have unbalanced brackets.`,
      ),
    };
  },
};
