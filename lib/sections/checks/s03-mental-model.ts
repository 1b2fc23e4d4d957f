/** Section 3 — Correct Mental Model. */
import { isAsciiDiagram } from "../fence";
import { atLeast } from "./items";
import { verdict, type SectionCheck } from "./types";

const MIN_STEPS = 3;
const TERMS: readonly [string, RegExp][] = [
  ["locks", /\block|mutex|semaphore/],
  ["queues", /queue/],
  ["promises", /promise|future/],
  ["clocks", /clock|monotonic|timer/],
  ["buffers", /buffer/],
  ["network", /network|socket|tcp|connection/],
  ["event loop", /event loop|microtask/],
];

interface State {
  diagrams: number;
  plainBlocks: number;
  steps: number;
  terms: string[];
}

export const mentalModelCheck: SectionCheck<State> = {
  create: () => ({ diagrams: 0, plainBlocks: 0, steps: 0, terms: [] }),
  line(s, line) {
    if ((line.kind === "list" && line.ordered) || (line.label !== null && /^step \d/.test(line.label))) s.steps++;
    for (const [term, pattern] of TERMS) if (!s.terms.includes(term) && pattern.test(line.text)) s.terms.push(term);
  },
  fenceClose(s, fence) {
    if (isAsciiDiagram(fence)) s.diagrams++;
    else s.plainBlocks++;
  },
  evaluate(s) {
    return {
      "ascii-diagram": verdict(
        s.diagrams > 0,
        `${s.diagrams} ASCII diagram(s).`,
        s.plainBlocks > 0
          ? "Fenced blocks found, but none is a plain-text drawing with arrows/boxes/lanes (code or pseudo-code does not count)."
          : "No fenced ASCII diagram.",
      ),
      "ordered-steps": atLeast(s.steps, MIN_STEPS, "ordered step"),
      "precise-terms": verdict(s.terms.length >= 3, `Uses precise terms: ${s.terms.join(", ")}.`, `Only ${s.terms.length} of the precise terms (${s.terms.join(", ") || "none"}).`),
    };
  },
};
