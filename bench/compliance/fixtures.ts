/**
 * The deficient first passes bench:compliance repairs against the fake model: each library
 * document with what real models miss most taken out (lib/examples/deficient-drafts.ts), at least
 * one per commonly missed item, and a few drafts that miss several at once, as real ones do. Some
 * fixtures script a repair that fails or is worse the first time, so a second round is measured.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { DAMAGES, deficientDraft, findDamage } from "../../lib/examples/deficient-drafts";
import type { RepairAction } from "../../tests/support/fake-openai/repair-scenarios";

export interface ComplianceFixture {
  name: string;
  /** The library document (its topic is the document's). */
  file: string;
  damages: string[];
  /** Scripted attempts per section (default: every repair gets the real section). */
  actions?: Record<string, RepairAction[]>;
  /** Where a scripted stall cuts the answer. */
  stallAtChar?: number;
}

export const FIXTURES: ComplianceFixture[] = [
  { name: "s1 why naive fails", file: "rate-limiting.md", damages: ["s1-naive-fails"] },
  { name: "s3 ordered steps", file: "circuit-breaker.md", damages: ["s3-ordered-steps"] },
  { name: "s4 control flow + contrast", file: "request-deduplication.md", damages: ["s4-control-flow-contrast"] },
  { name: "s5 cancellation", file: "retries-with-backoff-and-jitter.md", damages: ["s5-cancellation"] },
  { name: "s6 request/response flow", file: "timeouts-and-deadline-propagation.md", damages: ["s6-request-flow"] },
  { name: "s7 deadlocks + timeouts", file: "circuit-breaker.md", damages: ["s7-deadlocks-timeouts"] },
  { name: "s8 p50 vs p99", file: "rate-limiting.md", damages: ["s8-p50-p99"] },
  { name: "s10 use instead + why", file: "request-deduplication.md", damages: ["s10-use-instead"] },
  { name: "s11 missing", file: "idempotency-keys.md", damages: ["s11-missing"] },
  {
    name: "four most missed, s7 worse first",
    file: "request-deduplication.md",
    damages: ["s4-control-flow-contrast", "s6-request-flow", "s7-deadlocks-timeouts", "s10-use-instead"],
    actions: { "7": ["worse", "fix"] },
  },
  {
    name: "s1+s3+s8, s8 stalls first",
    file: "circuit-breaker.md",
    damages: ["s1-naive-fails", "s3-ordered-steps", "s8-p50-p99"],
    actions: { "8": ["stall", "fix"] },
    stallAtChar: 300,
  },
  {
    name: "s5+s10, s5 never fixed",
    file: "timeouts-and-deadline-propagation.md",
    damages: ["s5-cancellation", "s10-use-instead"],
    actions: { "5": ["same"] },
  },
];

const LIBRARY = path.join(process.cwd(), "lib", "examples", "library");

export function loadFixture(fixture: ComplianceFixture): { topic: string; original: string; first: string } {
  const original = readFileSync(path.join(LIBRARY, fixture.file), "utf8");
  const topic = /^# (.+)$/m.exec(original)?.[1]?.trim() ?? fixture.file;
  return { topic, original, first: deficientDraft(original, fixture.damages.map(findDamage)) };
}

/** Every commonly missed item has a fixture of its own. */
export function uncoveredDamages(): string[] {
  return DAMAGES.map((damage) => damage.id).filter((id) => !FIXTURES.some((fixture) => fixture.damages.length === 1 && fixture.damages[0] === id));
}
