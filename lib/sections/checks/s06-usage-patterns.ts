/** Section 6 — Correct Usage Patterns. */
import { isAsciiDiagram } from "../fence";
import { verdict, type SectionCheck } from "./types";

const SCENARIO = /scenario|use case|example|where (?:it|this) shines|pattern \d|^(?:usage )?pattern\b/;
const ARROW = /→|->|⇒|=>/;
const TIE_BACK = /\bp9\d|\bp50|tail latency|latency|throughput|availability|reliab|error rate|\bslo\b/;

interface State {
  scenarios: number;
  steps: number;
  arrowLines: number;
  diagrams: number;
  tieBack: boolean;
}

export const usagePatternsCheck: SectionCheck<State> = {
  create: () => ({ scenarios: 0, steps: 0, arrowLines: 0, diagrams: 0, tieBack: false }),
  line(s, line) {
    if (line.kind === "blank") return;
    if (line.label !== null && SCENARIO.test(line.label) && (line.kind === "heading" || line.boldOnly || line.startsBlock)) s.scenarios++;
    if (line.kind === "list" && line.ordered) s.steps++;
    if (ARROW.test(line.raw)) s.arrowLines++;
    if (TIE_BACK.test(line.text)) s.tieBack = true;
  },
  fenceClose(s, fence) {
    if (isAsciiDiagram(fence)) s.diagrams++;
  },
  evaluate(s) {
    const flow = s.steps >= 2 || s.diagrams > 0 || s.arrowLines >= 2;
    return {
      scenario: verdict(s.scenarios > 0, `${s.scenarios} labelled scenario(s).`, "No sub-heading or label naming a usage scenario (\"Scenario: …\")."),
      "request-flow": verdict(flow, "Request/response flow shown.", "No request/response flow: no numbered steps, no diagram, no arrow-drawn flow."),
      "tail-latency": verdict(s.tieBack, "Tied to latency/throughput/reliability.", "Never ties the scenario to tail latency, throughput or reliability."),
    };
  },
};
