/**
 * Section 7 — Failure Modes & Edge Cases. Modes must be named in labels (sub-headings, bold
 * items, table rows). Items are the sub-headings; only a section without sub-headings has
 * its bold/"Label:" lines as items, so a paragraph label under `### Deadlocks` ("Pool
 * self-deadlock: …") names a mode but does not split the sub-section it belongs to.
 */
import { addItem, everyItem, type Item } from "./items";
import { verdict, type SectionCheck, type Verdict } from "./types";

const MITIGATION_BIT = 1;

const FAILURE_MODES: readonly [id: string, name: string, pattern: RegExp][] = [
  ["race-conditions", "race conditions", /\brace|interleav|lost update|concurrent (?:write|update|access)/],
  ["retry-interactions", "retries interacting badly", /retr(?:y|ies)|thundering herd|amplif/],
  ["partial-failures", "partial failures", /partial/],
  ["memory-leaks", "memory leaks", /leak|unbounded (?:growth|memory|map|cache)|memory growth/],
  ["deadlocks", "deadlocks", /deadlock|livelock/],
  ["timeout-mismatches", "timeout mismatches", /(?:time ?outs?|deadlines?).{0,30}(?:mismatch|inversion|budget|misalign|longer|shorter|order)|mismatch.{0,20}(?:time ?outs?|deadlines?)/],
];
// A part labelled as the verdict ("**How the design handles it:** …", "**Handled?** No — …") is one.
const VERDICT_LABEL = /^(?:mitigat|not mitigated|unmitigated|verdict|status|does the design|design response|how the design|handled|is it (?:handled|mitigated))/;
const VERDICT = /mitigat|partially|\bhandled\?|\bnot handled\b|does not (?:prevent|protect|help|solve)|doesn['’]t (?:prevent|protect|help|solve)|prevented by|handled by|out of scope|residual risk|\bprevents?\b|guards? against/;

interface State {
  named: string[];
  items: Item[];
  current: number;
  /** A sub-heading opened an item: from then on only headings and table rows open items. */
  headed: boolean;
  /** The current item has lines of its own (a heading directly followed by a deeper one groups them). */
  currentHasBody: boolean;
}

export const failureModesCheck: SectionCheck<State> = {
  create: () => ({ named: [], items: [], current: -1, headed: false, currentHasBody: false }),
  line(s, line) {
    if (line.kind === "blank") return;
    const label = line.label;
    let opened = false;
    if (label !== null && !VERDICT_LABEL.test(label)) {
      const modes = FAILURE_MODES.filter(([, , pattern]) => pattern.test(label));
      for (const [id] of modes) if (!s.named.includes(id)) s.named.push(id);
      const heading = line.kind === "heading";
      if (heading || (modes.length > 0 && (line.kind === "table" || !s.headed))) {
        const parent = s.items[s.current];
        // `### Concurrency failures` directly followed by `#### Race conditions` is a group, not an item.
        if (heading && parent && !s.currentHasBody && parent.level < line.headingLevel) s.items.pop();
        addItem(s.items, line.content, line.lineNo, line.headingLevel || 7);
        s.current = s.items.length - 1;
        if (heading) s.headed = true;
        opened = true;
      }
    }
    s.currentHasBody = !opened;
    const item = s.items[s.current];
    if (!item) return;
    const verdictPart = !opened && label !== null && VERDICT_LABEL.test(label) && line.text.length > label.length + 2;
    if (verdictPart || VERDICT.test(line.text)) item.marks |= MITIGATION_BIT;
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
