/** Section 8 — Performance Characteristics & Tradeoffs. */
import { verdict, type SectionCheck } from "./types";

const P50 = /\bp50\b|\bmedian\b/;
const P99 = /\bp99|\bp999|tail latency/;
const THROUGHPUT = /throughput|\brps\b|\bqps\b|requests? per second|req\/s|ops\/s/;
const MEMORY = /memory|\bheap\b|\brss\b|allocation/;
const CPU = /\bcpu\b|\bcores?\b/;
// Costs must be an explicit part: a heading, a label, or a sentence starting with it.
const COSTS = /^(?:the )?(?:main |real |explicit |hidden )?(?:costs?|compromises?|trade-?offs?|downsides?|what (?:you|it) (?:pay|costs?|give)|the price)\b/;

interface State {
  p50: boolean;
  p99: boolean;
  throughput: boolean;
  memory: boolean;
  cpu: boolean;
  costs: boolean;
}

export const performanceCheck: SectionCheck<State> = {
  create: () => ({ p50: false, p99: false, throughput: false, memory: false, cpu: false, costs: false }),
  line(s, line) {
    if (line.kind === "blank") return;
    const text = line.text;
    if (P50.test(text)) s.p50 = true;
    if (P99.test(text)) s.p99 = true;
    if (THROUGHPUT.test(text)) s.throughput = true;
    if (MEMORY.test(text)) s.memory = true;
    if (CPU.test(text)) s.cpu = true;
    if ((line.label !== null && COSTS.test(line.label)) || (line.startsBlock && COSTS.test(text))) s.costs = true;
  },
  evaluate(s) {
    return {
      "p50-p99": verdict(s.p50 && s.p99, "Compares p50 and p99.", `Missing ${[!s.p50 && "p50/median", !s.p99 && "p99/tail"].filter(Boolean).join(" and ")} latency.`),
      throughput: verdict(s.throughput, "Discusses throughput.", "Throughput is never discussed."),
      memory: verdict(s.memory, "Discusses memory.", "Memory usage is never discussed."),
      cpu: verdict(s.cpu, "Discusses CPU.", "CPU usage is never discussed."),
      costs: verdict(s.costs, "Has an explicit costs/compromises part.", "No part labelled Costs, Compromises or Tradeoffs."),
    };
  },
};
