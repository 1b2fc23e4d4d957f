import { createParser, type EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { EVENT_SOURCE_CLOSED, followDocumentStream, type ConnectionState, type EventSourceLike } from "@/components/document/document-stream-follower";
import { encodeDocumentEvent, type DocumentEvent, type EndEvent } from "@/lib/events/document-events";
import type { RepairRecord } from "@/lib/repair/record";
import { largeRepairRecord } from "../support/large-side-state";

/** An EventSource the test drives: it records the URL and lets the test deliver events. */
class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = EVENT_SOURCE_CLOSED;
  }
  /** Delivers an event exactly as the server encodes it (several events when it is sent in pieces). */
  deliver(event: DocumentEvent) {
    const parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) this.lastEventId = message.id;
        this.deliverRaw(message.event ?? "message", message.data, this.lastEventId);
      },
    });
    parser.feed(encodeDocumentEvent(event));
  }
  /** As a browser does: the stream's last id so far, on every event. */
  private lastEventId = "";
  deliverRaw(type: string, data: string, lastEventId: string) {
    for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data, lastEventId }));
  }
  fail(readyState: number) {
    this.readyState = readyState;
    this.onerror?.(new Event("error"));
  }
}

function follow(received: number, settled = false) {
  const sources: FakeEventSource[] = [];
  const texts: string[] = [];
  const ends: EndEvent[] = [];
  const states: ConnectionState[] = [];
  const activities: string[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  const sections: [number, number, string][] = [];
  const versions: number[] = [];
  const repairs: RepairRecord[] = [];
  let settleCalls = 0;
  const follower = followDocumentStream({
    url: (from) => `/stream?from=${from}`,
    received,
    createSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    onText: (delta) => texts.push(delta),
    onEnd: (end) => ends.push(end),
    onActivity: (activity) => activities.push(activity),
    onChecks: () => {},
    onRepairText: (number, round, text) => sections.push([number, round, text]),
    onVersion: (event) => versions.push(event.version.version),
    onRepair: (repair) => repairs.push(repair),
    onConnection: (state) => states.push(state),
    settleFromServer: async () => {
      settleCalls += 1;
      return settled;
    },
    setTimer: (callback, ms) => timers.push({ callback, ms }),
    clearTimer: () => {},
  });
  return { follower, sources, texts, ends, states, activities, timers, sections, versions, repairs, settleCalls: () => settleCalls };
}

describe("following a document's event stream", () => {
  it("attaches from the text it has and appends only text that continues it", () => {
    const run = follow(3);
    expect(run.sources[0]?.url).toBe("/stream?from=3");
    const source = run.sources[0]!;
    source.deliver({ type: "text", delta: "abc", offset: 3 }); // a replay of what it has
    source.deliver({ type: "text", delta: "de", offset: 5 });
    source.deliver({ type: "text", delta: "🦀", offset: 7 });
    expect(run.texts).toEqual(["de", "🦀"]);
    expect(run.follower.received).toBe(7);
  });

  it("re-attaches from what it really has after a gap, and ignores the old connection", () => {
    const run = follow(0);
    const first = run.sources[0]!;
    first.deliver({ type: "text", delta: "ab", offset: 2 });
    first.deliver({ type: "text", delta: "xy", offset: 10 }); // 8 characters are missing
    expect(run.sources).toHaveLength(2);
    expect(first.closed).toBe(true);
    expect(run.sources[1]?.url).toBe("/stream?from=2");
    first.deliver({ type: "text", delta: "cd", offset: 4 });
    expect(run.texts).toEqual(["ab"]);
  });

  it("treats a malformed event like a gap", () => {
    const run = follow(0);
    run.sources[0]!.deliverRaw("text", '"abc"', "not-an-offset");
    expect(run.sources).toHaveLength(2);
    expect(run.texts).toEqual([]);
  });

  it("reports what the model is doing, from the current connection only", () => {
    const run = follow(0);
    const first = run.sources[0]!;
    first.deliver({ type: "activity", activity: "thinking" });
    first.deliver({ type: "text", delta: "ab", offset: 2 });
    first.deliver({ type: "activity", activity: "writing" });
    first.deliver({ type: "text", delta: "xy", offset: 10 }); // a gap: re-attach
    first.deliver({ type: "activity", activity: "thinking" });
    expect(run.activities).toEqual(["thinking", "writing"]);
    run.sources[1]!.deliverRaw("activity", '{"activity":"dreaming"}', "2");
    expect(run.sources).toHaveLength(3); // malformed: attach again
  });

  it("stops at `end` with its status and error", () => {
    const run = follow(0);
    run.sources[0]!.deliver({ type: "text", delta: "abc", offset: 3 });
    run.sources[0]!.deliver({ type: "end", offset: 3, status: "failed", error: "The model stopped.", version: 1 });
    expect(run.ends).toEqual([{ type: "end", offset: 3, status: "failed", error: "The model stopped.", version: 1 }]);
    expect(run.sources[0]!.closed).toBe(true);
    expect(run.states.at(-1)).toBe("idle");
  });

  it("lets EventSource retry by itself while it is connecting", () => {
    const run = follow(0);
    run.sources[0]!.fail(0);
    expect(run.states.at(-1)).toBe("reconnecting");
    expect(run.timers).toEqual([]);
    expect(run.settleCalls()).toBe(0);
  });

  it("asks the server for the state when the stream is closed for good, and stops when the generation is over", async () => {
    const run = follow(0, true);
    run.sources[0]!.fail(EVENT_SOURCE_CLOSED);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(run.settleCalls()).toBe(1);
    expect(run.timers).toEqual([]);
    expect(run.states.at(-1)).toBe("idle");
  });

  it("backs off from 1 s to 30 s against a server that keeps closing the stream", async () => {
    const run = follow(0, false);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      run.sources.at(-1)!.fail(EVENT_SOURCE_CLOSED);
      await new Promise((resolve) => setTimeout(resolve, 0));
      const timer = run.timers.shift()!;
      delays.push(timer.ms);
      timer.callback();
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    // A connection that opens resets the backoff.
    run.sources.at(-1)!.onopen?.(new Event("open"));
    run.sources.at(-1)!.fail(EVENT_SOURCE_CLOSED);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(run.timers[0]?.ms).toBe(1_000);
  });

  it("follows each section's replacement by its own offsets: replays and repeats are dropped, a new round starts over, a gap re-attaches", () => {
    const run = follow(10);
    const source = run.sources[0]!;
    source.deliver({ type: "section", number: 7, round: 1, from: 0, delta: "## 7. F" });
    source.deliver({ type: "section", number: 7, round: 1, from: 7, delta: "ailure 🦀" });
    source.deliver({ type: "section", number: 4, round: 1, from: 0, delta: "## 4." });
    // A re-attach replays each replacement from 0, overlapping what is held.
    source.deliver({ type: "section", number: 7, round: 1, from: 0, delta: "## 7. Failure 🦀 modes" });
    source.deliver({ type: "section", number: 7, round: 1, from: 3, delta: "7. Fail" });
    expect(run.sections).toEqual([
      [7, 1, "## 7. F"],
      [7, 1, "## 7. Failure 🦀"],
      [4, 1, "## 4."],
      [7, 1, "## 7. Failure 🦀 modes"],
    ]);
    source.deliver({ type: "section", number: 7, round: 2, from: 0, delta: "## 7. Again" });
    source.deliver({ type: "section", number: 7, round: 1, from: 22, delta: "late" }); // an older round
    expect(run.sections.at(-1)).toEqual([7, 2, "## 7. Again"]);
    expect(run.sources).toHaveLength(1);
    source.deliver({ type: "section", number: 4, round: 1, from: 9, delta: "gap" });
    expect(run.sources).toHaveLength(2);
    expect(run.sources[1]?.url).toBe("/stream?from=10");
    run.sources[1]!.deliver({ type: "version", version: { version: 2, createdAt: "t", reason: "Repair round 1: section 7", satisfied: 12 }, markdown: "# T" });
    expect(run.versions).toEqual([2]);
  });

  it("passes on a large event once its pieces are joined, and drops the pieces of a connection cut between them", () => {
    const run = follow(0);
    const source = run.sources[0]!;
    const record = largeRepairRecord();
    const pieces: EventSourceMessage[] = [];
    createParser({ onEvent: (message) => pieces.push(message) }).feed(encodeDocumentEvent({ type: "repair", repair: record }));
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces.slice(0, 2)) source.deliverRaw(piece.event!, piece.data, "");
    expect(run.repairs).toEqual([]);
    // Cut: EventSource reconnects by itself, and the new connection replays the whole event.
    source.onopen?.(new Event("open"));
    source.deliver({ type: "text", delta: "abc", offset: 3 });
    source.deliver({ type: "repair", repair: record });
    expect(run.repairs).toEqual([record]);
    expect(run.texts).toEqual(["abc"]);
    expect(run.sources).toHaveLength(1);
  });
});

describe("following a parallel document's parts", () => {
  function followParts(parts: Map<string, number> = new Map()) {
    const sources: FakeEventSource[] = [];
    const partTexts = new Map<string, string>();
    const states: string[] = [];
    const outlines: string[] = [];
    const tokens: [number, number][] = [];
    followDocumentStream({
      url: (from) => `/stream?from=${from}`,
      received: 0,
      parts,
      createSource: (url) => {
        const source = new FakeEventSource(url);
        sources.push(source);
        return source;
      },
      onText: () => {},
      onEnd: () => {},
      onChecks: () => {},
      onConnection: () => {},
      settleFromServer: async () => false,
      onSectionText: (section, part, delta) => partTexts.set(`${section}.${part}`, (partTexts.get(`${section}.${part}`) ?? "") + delta),
      onSectionState: (event) => states.push(`${event.section}.${event.part}:${event.state}@${event.length}`),
      onOutline: (outline) => outlines.push(outline.title),
      onTokens: (input, output) => tokens.push([input, output]),
      setTimer: () => {},
      clearTimer: () => {},
    });
    return { sources, partTexts, states, outlines, tokens };
  }
  const state = (section: number, part: number, value: "queued" | "writing" | "complete", length: number) =>
    ({ type: "section-state", section, part, parts: 1, state: value, length, error: null, continuations: 0, inputTokens: 0, outputTokens: 0 }) as const;

  it("follows each part on its own channel and drops what a replay repeats", () => {
    // The page was rendered with 3 characters of section 7 ("## ").
    const run = followParts(new Map([["7.1", 3]]));
    const source = run.sources[0]!;
    source.deliver({ type: "section-text", section: 7, part: 1, delta: "## 7. Failure 🦀", offset: 16 }); // replay from 0
    source.deliver(state(7, 1, "writing", 16));
    source.deliver({ type: "section-text", section: 2, part: 1, delta: "## 2.", offset: 5 });
    source.deliver({ type: "section-text", section: 7, part: 1, delta: " modes", offset: 22 });
    source.deliver({ type: "section-text", section: 7, part: 1, delta: "modes", offset: 22 }); // repeated
    expect(run.partTexts.get("7.1")).toBe("7. Failure 🦀 modes");
    expect(run.partTexts.get("2.1")).toBe("## 2.");
    expect(run.states).toEqual(["7.1:writing@16"]);
    expect(run.sources).toHaveLength(1);
  });

  it("re-attaches after a gap in a part, and the replay fills it", () => {
    const run = followParts();
    run.sources[0]!.deliver({ type: "section-text", section: 3, part: 1, delta: "abc", offset: 3 });
    run.sources[0]!.deliver({ type: "section-text", section: 3, part: 1, delta: "xyz", offset: 9 }); // 3 missing
    expect(run.sources).toHaveLength(2);
    run.sources[1]!.deliver({ type: "section-text", section: 3, part: 1, delta: "abcdefxyz", offset: 9 });
    expect(run.partTexts.get("3.1")).toBe("abcdefxyz");
  });

  it("passes on the outline and the token totals", () => {
    const run = followParts();
    run.sources[0]!.deliver({
      type: "outline",
      outline: { title: "Circuit Breaker", summary: "s", incorrectApproaches: [], keyTerms: [], sections: [{ number: 1, covers: "c" }] },
    });
    run.sources[0]!.deliver({ type: "tokens", inputTokens: 1200, outputTokens: 34 });
    expect(run.outlines).toEqual(["Circuit Breaker"]);
    expect(run.tokens).toEqual([[1200, 34]]);
  });
});
