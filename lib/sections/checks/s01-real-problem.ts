/** Section 1 — The Real Problem This Exists to Solve. */
import { countWords } from "../text";
import { met, unmet, verdict, type SectionCheck } from "./types";

const MIN_PROSE_WORDS = 80;
const FAILURE_WORD = /fail|outage|incident|error|time(?:s|d)?[ -]?out|crash|\bdown\b|paged|spike|latency|exhaust|overload|5\d\d\b|stall|saturat|melt/;
const WITHOUT = /\bwithout\b/;
const BREAK_WORD = /break|fail|falls? over|crash|outage|exhaust|melt|collapse|\bdown\b|stall|pile|overload|time(?:s|d)?[ -]?out|corrupt|\blost\b|\bdrop|saturat|5\d\d\b/;
// Numbers with traffic units: "4,000 rps", "12k requests per second", "fan-out of 30", "3 retries", "40x".
const LOAD = /\d[\d,.]*\s*(?:k|m)?\s*(?:rps|qps|tps|rpm|req\/s|requests?\s*(?:per|\/|a)\s*(?:second|sec|minute|min)|concurrent|connections|users|clients|calls|retries|retry attempts|replicas|pods|instances|workers|downstream|attempts|messages|events|jobs|queries|writes|reads|tasks|x\b|×)|fan-?out (?:of|factor of)\s*\d|\d+\s*(?:-|\s)?way fan-?out/;
const NAIVE = /naive|obvious (?:fix|solution|answer|approach)|first instinct|simple (?:fix|solution)|textbook|quick fix/;
const NAIVE_FAILS = /fail|break|doesn['’]?t|does not|won['’]?t|cannot|can['’]?t|worse|amplif|collapse|multipl/;

interface State {
  proseWords: number;
  proseMentionsFailure: boolean;
  whatBreaks: boolean;
  load: boolean;
  naiveFails: boolean;
  // Co-occurrence inside the current paragraph/list item (hard-wrapped prose spans lines).
  paraWithout: boolean;
  paraBreak: boolean;
  paraNaive: boolean;
  paraNaiveFails: boolean;
}

export const realProblemCheck: SectionCheck<State> = {
  create: () => ({
    proseWords: 0, proseMentionsFailure: false, whatBreaks: false, load: false, naiveFails: false,
    paraWithout: false, paraBreak: false, paraNaive: false, paraNaiveFails: false,
  }),
  line(s, line) {
    if (line.kind === "blank" || line.startsBlock) {
      s.paraWithout = s.paraBreak = s.paraNaive = s.paraNaiveFails = false;
    }
    if (line.kind === "blank") return;
    const text = line.text;
    if (line.kind === "text" && !line.inList) {
      s.proseWords += countWords(text);
      if (!s.proseMentionsFailure && FAILURE_WORD.test(text)) s.proseMentionsFailure = true;
    }
    // Flags never unset, so patterns already satisfied are not tested again.
    if (!s.load && LOAD.test(text)) s.load = true;
    if (!s.whatBreaks) {
      if (!s.paraWithout && WITHOUT.test(text)) s.paraWithout = true;
      if (!s.paraBreak && BREAK_WORD.test(text)) s.paraBreak = true;
      if (s.paraWithout && s.paraBreak) s.whatBreaks = true;
    }
    if (!s.naiveFails) {
      if (!s.paraNaive && NAIVE.test(text)) s.paraNaive = true;
      if (!s.paraNaiveFails && NAIVE_FAILS.test(text)) s.paraNaiveFails = true;
      if (s.paraNaive && s.paraNaiveFails) s.naiveFails = true;
    }
  },
  evaluate(s) {
    const scenario =
      s.proseWords < MIN_PROSE_WORDS
        ? unmet(`Only ${s.proseWords} words of prose (need about ${MIN_PROSE_WORDS}); bullet lists do not count.`)
        : s.proseMentionsFailure
          ? met(`${s.proseWords} words of prose describing the failure.`)
          : unmet(`${s.proseWords} words of prose, but none describes a failure (outage, errors, timeouts, overload…).`);
    return {
      "failure-scenario": scenario,
      "what-breaks": verdict(s.whatBreaks, "Says what breaks without it.", "No sentence says what breaks without this concept (\"without …\" plus the failure)."),
      "realistic-load": verdict(s.load, "Gives load figures.", "No numbers for traffic, concurrency, retries or fan-out."),
      "naive-fails": verdict(s.naiveFails, "Explains why the naive solution fails.", "No sentence says why the naive/obvious solution fails."),
    };
  },
};
