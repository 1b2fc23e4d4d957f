import { describe, expect, it } from "vitest";
import type { PartProgress } from "@/lib/documents/section-parts";
import {
  decodeDocumentEvent,
  DocumentEventFormatError,
  encodeDocumentEvent,
  parseEventId,
  sectionStateEvent,
  sectionTextEvent,
  type DocumentEvent,
} from "@/lib/events/document-events";
import { parseWire } from "../support/sse";

const parse = parseWire;

const roundTrip = (event: DocumentEvent) => {
  const [message] = parse(encodeDocumentEvent(event));
  return decodeDocumentEvent(message?.event, message?.data ?? "", message?.id);
};

describe("document events on the wire", () => {
  it("writes data before id, one line of JSON, and ends the event with a blank line", () => {
    const wire = encodeDocumentEvent({ type: "text", delta: "line one\nline two\r\n🦀 done", offset: 42 });
    expect(wire).toBe('event: text\ndata: "line one\\nline two\\r\\n🦀 done"\nid: 42\n\n');
    expect(wire.indexOf("data:")).toBeLessThan(wire.indexOf("id:"));
  });

  it("gives `end` an id of its own and carries status and error", () => {
    expect(encodeDocumentEvent({ type: "end", offset: 7, status: "failed", error: "The model stopped.", version: 1 })).toBe(
      'event: end\ndata: {"status":"failed","error":"The model stopped.","version":1}\nid: 7-end\n\n',
    );
    expect(encodeDocumentEvent({ type: "end", offset: 0, status: "complete", error: null, version: 3 })).toBe('event: end\ndata: {"status":"complete","version":3}\nid: 0-end\n\n');
  });

  it.each<DocumentEvent>([
    { type: "text", delta: "ascii", offset: 5 },
    { type: "text", delta: "汉字と絵文字 👩‍💻", offset: 1_000_000 },
    { type: "text", delta: "\ud83d", offset: 1 }, // a lone surrogate survives as an escape
    { type: "end", offset: 44_891, status: "complete", error: null, version: 2 },
    { type: "end", offset: 12, status: "interrupted", error: "The server stopped.", version: 1 },
    { type: "end", offset: 12, status: "complete", error: null, version: null }, // a server that does not say
    { type: "repair", repair: { trigger: "auto", target: null, status: "running", maxRounds: 2, fromVersion: 1, startedAt: "2026-11-30T00:00:00.000Z", endedAt: null, rounds: [], firstPass: null } },
    { type: "section", number: 7, round: 1, from: 120, delta: "### Deadlocks 🔒\n" },
    { type: "version", version: { version: 2, createdAt: "2026-11-30T00:00:00.000Z", reason: "Repair round 1: section 7", satisfied: 12 }, markdown: "# T\n\n## 1. x 🦀\n" },
    { type: "activity", activity: "waiting" },
    { type: "activity", activity: "thinking" },
    { type: "activity", activity: "writing" },
    { type: "tokens", inputTokens: 12_345, outputTokens: 0 },
    { type: "section-text", section: 5, part: 2, delta: "### Usage 🦀\n", offset: 13 },
    { type: "section-text", section: 0, part: 1, delta: "# 限流\n\n", offset: 6 },
    {
      type: "section-state",
      section: 12,
      part: 1,
      parts: 1,
      state: "failed",
      length: 40,
      error: "The model stopped sending text for 60 s (IDLE_TIMEOUT_MS).",
      continuations: 2,
      inputTokens: 900,
      outputTokens: 1_000,
    },
    { type: "section-state", section: 5, part: 1, parts: 2, state: "queued", length: 0, error: null, continuations: 0, inputTokens: 0, outputTokens: 0 },
    {
      type: "outline",
      outline: {
        title: "Circuit Breaker",
        summary: "Fails fast.",
        incorrectApproaches: [{ name: "Retries", summary: "Amplify load." }],
        keyTerms: ["window: 10 s"],
        sections: [{ number: 1, covers: "the incident" }],
        implementation: { core: "the breaker", integration: "HTTP", declarations: ["class Breaker"] },
      },
    },
  ])("reads back what it wrote: %j", (event) => {
    expect(roundTrip(event)).toEqual(event);
  });

  it("writes `activity` without an id, so Last-Event-ID always names a text position", () => {
    expect(encodeDocumentEvent({ type: "activity", activity: "thinking" })).toBe('event: activity\ndata: {"activity":"thinking"}\n\n');
    // Browsers report the stream's last id on every event: an activity event may carry one.
    expect(decodeDocumentEvent("activity", '{"activity":"writing"}', "42")).toEqual({ type: "activity", activity: "writing" });
  });

  it("writes the events beside the text without an id, so Last-Event-ID always names a text position", () => {
    const wire = encodeDocumentEvent({ type: "section", number: 4, round: 2, from: 0, delta: "## 4. Correct Design" });
    expect(wire).toBe('event: section\ndata: {"number":4,"round":2,"from":0,"delta":"## 4. Correct Design"}\n\n');
    expect(encodeDocumentEvent({ type: "version", version: { version: 2, createdAt: "t", reason: "r", satisfied: null }, markdown: "x" })).not.toContain("id:");
  });

  it("gives the events beside the text no id, so Last-Event-ID always names a text position", () => {
    expect(encodeDocumentEvent({ type: "section-text", section: 3, part: 1, delta: "x", offset: 1 })).not.toMatch(/^id:/m);
    expect(encodeDocumentEvent({ type: "tokens", inputTokens: 1, outputTokens: 2 })).toBe('event: tokens\ndata: {"inputTokens":1,"outputTokens":2}\n\n');
  });

  it("ignores event types it does not know, so old readers survive new events", () => {
    expect(decodeDocumentEvent("some-future-event", "{}", undefined)).toBeNull();
  });

  it.each([
    ["text without an id", "text", '"abc"', undefined],
    ["text whose offset is shorter than its delta", "text", '"abcdef"', "3"],
    ["text whose data is not a string", "text", "42", "2"],
    ["end with an unknown status", "end", '{"status":"done"}', "3-end"],
    ["end with `generating`", "end", '{"status":"generating"}', "3-end"],
    ["end without the -end id", "end", '{"status":"complete"}', "3"],
    ["activity with an unknown activity", "activity", '{"activity":"dreaming"}', undefined],
    ["activity without data", "activity", "null", undefined],
    ["end with `repairing`", "end", '{"status":"repairing"}', "3-end"],
    ["end with a version that is not a number", "end", '{"status":"complete","version":"2"}', "3-end"],
    ["a section event without its offset", "section", '{"number":7,"round":1,"delta":"x"}', undefined],
    ["a section event for section 0", "section", '{"number":0,"round":1,"from":0,"delta":"x"}', undefined],
    ["a version event without its text", "version", '{"version":2,"createdAt":"x","reason":"r","satisfied":1}', undefined],
    ["a repair event without rounds", "repair", '{"status":"running"}', undefined],
    ["section text of section 13", "section-text", '{"section":13,"part":1,"offset":1,"delta":"a"}', undefined],
    ["section text shorter than its offset says", "section-text", '{"section":1,"part":1,"offset":0,"delta":"ab"}', undefined],
    ["section text of part 0", "section-text", '{"section":1,"part":0,"offset":1,"delta":"a"}', undefined],
    ["a section state that is not a state", "section-state", '{"section":1,"part":1,"parts":1,"state":"done","length":0,"error":null,"continuations":0,"inputTokens":0,"outputTokens":0}', undefined],
    ["a part beyond its parts", "section-state", '{"section":1,"part":3,"parts":2,"state":"queued","length":0,"error":null,"continuations":0,"inputTokens":0,"outputTokens":0}', undefined],
    ["negative tokens", "tokens", '{"inputTokens":-1,"outputTokens":0}', undefined],
    ["an outline without sections", "outline", '{"title":"t","summary":"s","incorrectApproaches":[],"keyTerms":[]}', undefined],
  ])("refuses %s", (_name, type, data, id) => {
    expect(() => decodeDocumentEvent(type, data, id)).toThrow(DocumentEventFormatError);
  });
});

describe("a part's events, built from its progress", () => {
  // Section 5's second part, with an emoji (two UTF-16 units) and CJK: offsets count code units, as string lengths do.
  const part: PartProgress = {
    section: 5,
    part: 2,
    parts: 2,
    state: "writing",
    text: "### Integration 🦀\n接続",
    error: "HTTP 503 upstream",
    continuations: 1,
    inputTokens: 900,
    outputTokens: 35,
  };

  it("sends the part's text from a position, ending at its length (the whole text from 0, as replays do)", () => {
    expect(sectionTextEvent(part)).toEqual({ type: "section-text", section: 5, part: 2, delta: part.text, offset: 21 });
    expect(sectionTextEvent(part, 19)).toEqual({ type: "section-text", section: 5, part: 2, delta: "接続", offset: 21 });
    expect(sectionTextEvent(part, 21)).toEqual({ type: "section-text", section: 5, part: 2, delta: "", offset: 21 });
    expect(roundTrip(sectionTextEvent(part, 4))).toEqual(sectionTextEvent(part, 4));
  });

  it("states every field of the part, with the length a reader holds (its whole text unless said)", () => {
    const whole = { type: "section-state", section: 5, part: 2, parts: 2, state: "writing", length: 21, error: "HTTP 503 upstream", continuations: 1, inputTokens: 900, outputTokens: 35 };
    expect(sectionStateEvent(part)).toEqual(whole);
    expect(sectionStateEvent(part, 4)).toEqual({ ...whole, length: 4 });
    expect(roundTrip(sectionStateEvent(part))).toEqual(whole);
  });
});

describe("event ids as resume positions", () => {
  it.each([
    ["0", { kind: "offset", offset: 0 }],
    ["16384", { kind: "offset", offset: 16_384 }],
    [" 12 ", { kind: "offset", offset: 12 }],
    ["007", { kind: "offset", offset: 7 }],
    ["999999999999", { kind: "offset", offset: 999_999_999_999 }],
    ["44891-end", { kind: "ended", offset: 44_891 }],
  ])("reads %j", (value, position) => {
    expect(parseEventId(value)).toEqual(position);
  });

  it.each(["", "-1", "1.5", "1e3", "0x10", "1000000000000", "abc", "12-END", "-end", "12-end-end"])("refuses %j", (value) => {
    expect(parseEventId(value)).toBeNull();
  });
});
