/** Section 7 — Failure Modes & Edge Cases. Modes must be named in labels (sub-headings, bold items, table rows). */
import { addItem, everyItem, type Item } from "./items";
import { verdict, type SectionCheck, type Verdict } from "./types";

const MITIGATION_BIT = 1;

export const FAILURE_MODES: readonly [id: string, name: string, pattern: RegExp][] = [
  ["race-conditions", "race conditions", /\brace|interleav|lost update|concurrent (?:write|update|access)/],
  ["retry-interactions", "retries interacting badly", /retr(?:y|ies)|thundering herd|amplif/],
  ["partial-failures", "partial failures", /partial/],
  ["memory-leaks", "memory leaks", /leak|unbounded (?:growth|memory|map|cache)|memory growth/],
  ["deadlocks", "deadlocks", /deadlock|livelock/],
  ["timeout-mismatches", "timeout mismatches", /(?:time ?outs?|deadlines?).{0,30}(?:mismatch|inversion|budget|misalign|longer|shorter|order)|mismatch.{0,20}(?:time ?outs?|deadlines?)/],
];
const VERDICT_LABEL = /^(?:mitigat|not mitigated|unmitigated|verdict|status|does the design|design response|how the design)/;
const VERDICT = /mitigat|partially|does not (?:prevent|protect|help|solve)|doesn['’]t (?:prevent|protect|help|solve)|prevented by|handled by|out of scope|residual risk|\bprevents?\b|guards? against/;

interface State {
  named: string[];
  items: Item[];
  current: number;
}

export const failureModesCheck: SectionCheck<State> = {
  create: () => ({ named: [], items: [], current: -1 }),
  line(s, line) {
    if (line.kind === "blank") return;
    const label = line.label;
    if (label !== null && !VERDICT_LABEL.test(label)) {
      const modes = FAILURE_MODES.filter(([, , pattern]) => pattern.test(label));
      for (const [id] of modes) if (!s.named.includes(id)) s.named.push(id);
      if (modes.length > 0 || line.kind === "heading") {
        addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
        s.current = s.items.length - 1;
      }
    }
    const item = s.items[s.current];
    if (item && VERDICT.test(line.text)) item.marks |= MITIGATION_BIT;
  },
  evaluate(s) {
    const result: Record<string, Verdict> = {};
    for (const [id, name] of FAILURE_MODES) {
      result[id] = verdict(s.named.includes(id), `Names ${name}.`, `No sub-heading, bold item or table row names ${name}.`);
    }
    result.mitigation = everyItem(s.items, MITIGATION_BIT, "failure mode", "say whether the design mitigates them");
    return result;
  },
};
