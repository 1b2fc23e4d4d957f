/** Section 12 — Production Readiness Checklist. Topics count only in list items and their headings. */
import { verdict, type SectionCheck } from "./types";

const MIN_ITEMS = 5;
const TOPICS: readonly [string, RegExp][] = [
  ["metrics", /metric|dashboard|alert|histogram|counter|gauge|\bslo\b|p99/],
  ["logging", /\blog(?:s|ging|ged)?\b|tracing|\btrace/],
  ["timeouts", /timeout|deadline/],
  ["limits", /limit|\bcap\b|capped|\bmax|bound|quota|budget|ceiling/],
  ["load-testing", /load[- ]?test|stress[- ]?test|soak|\bk6\b|locust|gatling|\bchaos\b|benchmark/],
  ["rollout", /roll ?-?out|canary|feature flag|\bflag\b|gradual|staged|percentage/],
  ["rollback", /roll ?-?back|revert|kill ?-?switch/],
];

interface State {
  items: number;
  checkboxes: number;
  topics: string[];
}

export const readinessChecklistCheck: SectionCheck<State> = {
  create: () => ({ items: 0, checkboxes: 0, topics: [] }),
  line(s, line) {
    if (line.kind === "list") {
      s.items++;
      if (line.checkbox) s.checkboxes++;
    }
    if (!(line.inList || line.kind === "heading" || line.boldOnly)) return;
    for (const [topic, pattern] of TOPICS) if (!s.topics.includes(topic) && pattern.test(line.text)) s.topics.push(topic);
  },
  evaluate(s) {
    const has = (topic: string) => s.topics.includes(topic);
    return {
      checklist: verdict(s.items >= MIN_ITEMS, `${s.items} checklist items.`, `Only ${s.items} list items (need at least ${MIN_ITEMS}).`),
      metrics: verdict(has("metrics"), "Covers metrics.", "No checklist item about metrics, dashboards or alerts."),
      logging: verdict(has("logging"), "Covers logging.", "No checklist item about logging."),
      "timeouts-limits": verdict(
        has("timeouts") && has("limits"),
        "Covers timeouts and limits.",
        `No checklist item about ${[!has("timeouts") && "timeouts", !has("limits") && "limits"].filter(Boolean).join(" or ")}.`,
      ),
      "load-testing": verdict(has("load-testing"), "Covers load testing.", "No checklist item about load testing."),
      "rollout-rollback": verdict(
        has("rollout") && has("rollback"),
        "Covers rollout and rollback.",
        `No checklist item about ${[!has("rollout") && "rollout", !has("rollback") && "rollback"].filter(Boolean).join(" or ")}.`,
      ),
      "checkbox-format": verdict(s.items > 0 && s.checkboxes === s.items, "All items are `- [ ]` checkboxes.", `${s.checkboxes} of ${s.items} items are \`- [ ]\` checkboxes.`),
    };
  },
};
