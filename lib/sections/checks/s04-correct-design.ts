/** Section 4 — Correct Design & Algorithm. */
import { verdict, type SectionCheck } from "./types";

const MIN_COVERAGE = 4;
const TOPICS: readonly [string, RegExp][] = [
  ["concurrency", /concurren|in-flight|parallel|simultaneous|\brace/],
  ["locking", /\block|mutex|semaphore|\blease|compare-and-set|\bcas\b|single-?flight/],
  ["timeouts", /timeout|deadline|time out|time-out/],
  ["cancellation", /cancel|abort/],
  ["failure handling", /failure|\berror|retr(?:y|ies)|fallback|reject|\bfail/],
];
const SEQUENCE = /\b(first|then|next|finally|otherwise|afterwards|step \d)\b/g;
const CONTRAST = /incorrect approach|approach #?\s*\d|section 2|naive (?:approach|version|implementation|design|cache|code)|wrong approach|unlike the (?:naive|incorrect)|the incorrect/;

interface State {
  steps: number;
  sequenceWords: string[];
  topics: string[];
  contrast: boolean;
}

export const correctDesignCheck: SectionCheck<State> = {
  create: () => ({ steps: 0, sequenceWords: [], topics: [], contrast: false }),
  line(s, line) {
    if (line.kind === "blank") return;
    if (line.kind === "list" && line.ordered) s.steps++;
    for (const match of line.text.matchAll(SEQUENCE)) {
      const word = match[1] ?? "";
      if (!s.sequenceWords.includes(word)) s.sequenceWords.push(word);
    }
    for (const [topic, pattern] of TOPICS) if (!s.topics.includes(topic) && pattern.test(line.text)) s.topics.push(topic);
    if (CONTRAST.test(line.text)) s.contrast = true;
  },
  evaluate(s) {
    const flow = s.steps >= 3 || s.sequenceWords.length >= 3;
    const missingTopics = TOPICS.map(([topic]) => topic).filter((topic) => !s.topics.includes(topic));
    return {
      "control-flow": verdict(
        flow,
        s.steps >= 3 ? `Control flow in ${s.steps} ordered steps.` : `Sequenced walk-through (${s.sequenceWords.join(", ")}).`,
        "No ordered steps (3+) and no sequenced prose (first/then/next/finally…) describing the control flow.",
      ),
      "design-coverage": verdict(
        s.topics.length >= MIN_COVERAGE,
        `Covers ${s.topics.join(", ")}.`,
        `Covers ${s.topics.length} of 5; missing: ${missingTopics.join(", ")}.`,
      ),
      "contrast-incorrect": verdict(s.contrast, "Contrasts with the incorrect approaches.", "Never refers back to the incorrect approaches of section 2."),
    };
  },
};
