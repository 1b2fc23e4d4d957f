/** Section 1 — The Real Problem This Exists to Solve. */
import { countWords } from "../text";
import { met, unmet, verdict, type SectionCheck } from "./types";

const MIN_PROSE_WORDS = 80;
const FAILURE_WORD = /fail|outage|incident|error|time(?:s|d)?[ -]?out|crash|\bdown\b|paged|spike|latency|exhaust|overload|5\d\d\b|stall|saturat|melt/;
const WITHOUT = /\bwithout\b/;
const BREAK_WORD = /break|fail|falls? over|crash|outage|exhaust|melt|collapse|\bdown\b|stall|pile|overload|time(?:s|d)?[ -]?out|corrupt|\blost\b|\bdrop|saturat|5\d\d\b/;
// Load figures: a number followed by a traffic unit ("4,000 rps", "12k requests per second",
// "1,200 payment requests/s" — up to three words may sit between the number and a rate),
// plus counts of concurrency, percentages of traffic, fan-out and retry counts.
// Durations and sizes ("40 ms", "9 seconds", "2 GB") are not load and may not sit in between.
const NUMBER = String.raw`\d[\d,.]*(?:\s*(?:k|m|mm|thousand|million|billion)\b)?`;
const FILLER = String.raw`(?:(?!(?:ms|milli\w*|micro\w*|s|secs?|seconds?|mins?|minutes?|hours?|days?|weeks?|percent|bytes?|[kmgt]i?b)\b)[a-z][a-z'-]*\s+){0,3}`;
const RATE_NOUN = String.raw`(?:requests?|reqs?|calls?|messages?|msgs?|events?|writes?|reads?|quer(?:y|ies)|ops|operations?|jobs?|tasks?|transactions?|txns?|lookups?|hits?|connections?|sessions?|logins?|orders?|payments?|checkouts?|page ?views?|records?|rows?|inserts?|updates?|uploads?|downloads?|notifications?|emails?|webhooks?|searches|invocations?|rpcs?|packets?|tokens?)`;
const PER_TIME = String.raw`(?:\s*\/\s*|\s+(?:per|an?|each|every)\s+)(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?)\b`;
const RATE_ABBREV = String.raw`(?:rps|qps|tps|rpm|qpm|ops\/s(?:ec)?|req\/s(?:ec)?|msg\/s)\b`;
const COUNT_UNIT = String.raw`(?:concurrent|connections|users|clients|calls|retries|retry attempts|replicas|pods|instances|workers|downstream|attempts|messages|events|jobs|queries|writes|reads|tasks|x\b|×)`;
const LOAD: readonly RegExp[] = [
  new RegExp(`${NUMBER}\\s*(?:${FILLER}${RATE_NOUN}${PER_TIME}|${FILLER}${RATE_ABBREV}|\\/\\s*(?:s|secs?|seconds?)\\b|${COUNT_UNIT})`),
  // "5% of traffic", "30 percent of all checkout requests"
  new RegExp(`\\d\\s*(?:%|percent)\\s+of\\s+${FILLER}(?:traffic|load|capacity|users|clients|${RATE_NOUN})\\b`),
  // "fan-out of 30", "fans out to 12 services", "12-way fan-out"
  /fan(?:s|ned|ning)?[ -]?outs?(?:\s+(?:factor|ratio|width|degree))?(?:\s+(?:of|to|across|into|is|=))?\s+(?:about |roughly |up to |~\s*)?\d|\d+\s*(?:-|\s)?way\s+fan-?\s?out/,
  // "retries 3 times", "retried up to 5 times", "retry budget of 3", "max retries: 4"
  /retr(?:y|ies|ied|ying)\b(?:\s+[a-z'-]+){0,3}?\s*[:=]?\s+\d+\s*(?:times|x\b|attempts?|retries)|retr(?:y|ies)(?:\s+(?:budget|limit|count|cap))?\s*(?:of|is|=|:)\s*\d/,
];
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
    if (!s.load && LOAD.some((pattern) => pattern.test(text))) s.load = true;
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
