/**
 * No event on the wire is larger than MAX_EVENT_DATA_BYTES: text channels are cut into deltas of
 * their channel, any other large event into `piece` events that the reader joins back into exactly
 * the event that was written.
 */
import type { EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import {
  createDocumentEventReader,
  decodeDocumentEvent,
  DocumentEventFormatError,
  encodeDocumentEvent,
  MAX_EVENT_DATA_BYTES,
  PIECE_EVENT,
  type DocumentEvent,
} from "@/lib/events/document-events";
import { jsonStringCuts, utf8Length } from "@/lib/events/json-size";
import { EMOJI_DOCUMENT } from "../support/emoji-document";
import { largeRepairRecord, largeTypecheck } from "../support/large-side-state";
import { parseWire } from "../support/sse";

const wire = (event: DocumentEvent): EventSourceMessage[] => parseWire(encodeDocumentEvent(event));

function readAll(messages: EventSourceMessage[]): DocumentEvent[] {
  const read = createDocumentEventReader();
  return messages.map((message) => read(message.event, message.data, message.id)).filter((event) => event !== null);
}

const bytes = (data: string) => Buffer.byteLength(data, "utf8");

const LARGE_EVENTS: [string, DocumentEvent][] = [
  ["a repair record of a long repair", { type: "repair", repair: largeRepairRecord() }],
  ["a new version with its text", { type: "version", version: { version: 3, createdAt: "2026-11-30T10:03:00.000Z", reason: "Repair round 2: sections 2, 4 🦀", satisfied: 12 }, markdown: EMOJI_DOCUMENT }],
  ["a type check with many diagnostics", { type: "checks", typecheck: largeTypecheck(EMOJI_DOCUMENT.length) }],
  ["an end with a long error", { type: "end", offset: EMOJI_DOCUMENT.length, status: "failed", error: `Storage 🔥 ${"は".repeat(6_000)}`, version: 2 }],
];

describe("cutting JSON strings to a size", () => {
  const ALPHABET = ["a", " ", '"', "\\", "\n", "\u0001", "é", "汉", "🦀", "👩‍💻", "\ud83e", "\udd80", "\u2028"];

  it("cuts any text into pieces whose JSON takes at most the budget, the largest that fit, never inside a pair", () => {
    let seed = 12;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    for (let run = 0; run < 300; run += 1) {
      const text = Array.from({ length: random(120) }, () => ALPHABET[random(ALPHABET.length)]).join("");
      const budget = 8 + random(60);
      const cuts = jsonStringCuts(text, budget);
      expect(cuts.at(-1)).toBe(text.length);
      let from = 0;
      for (const [index, to] of cuts.entries()) {
        const piece = text.slice(from, to);
        expect(bytes(JSON.stringify(piece))).toBeLessThanOrEqual(budget);
        // A pair is never cut: the piece does not end between a high and a low surrogate.
        expect(/[\ud800-\udbff]$/.test(piece) && /^[\udc00-\udfff]/.test(text.slice(to))).toBe(false);
        if (index < cuts.length - 1) {
          const next = /^[\ud800-\udbff][\udc00-\udfff]/.test(text.slice(to)) ? 2 : 1;
          expect(bytes(JSON.stringify(text.slice(from, to + next)))).toBeGreaterThan(budget);
        }
        from = to;
      }
    }
  });

  it("counts UTF-8 bytes as a TextEncoder writes them", () => {
    for (const text of ["", "ascii", "é汉🦀👩‍💻", "\ud83e alone", EMOJI_DOCUMENT]) expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});

describe("events larger than MAX_EVENT_DATA_BYTES", () => {
  it.each(LARGE_EVENTS)("sends %s as pieces of at most the bound that read back as the same event", (_name, event) => {
    expect(bytes(JSON.stringify(event))).toBeGreaterThan(16_384);
    const messages = wire(event);
    expect(messages.length).toBeGreaterThan(4);
    for (const message of messages) {
      expect(message.event).toBe(PIECE_EVENT);
      expect(bytes(message.data)).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
    }
    // Only the last piece carries the event's id (an end's `<offset>-end`).
    expect(messages.slice(0, -1).every((message) => message.id === undefined)).toBe(true);
    expect(messages.at(-1)?.id).toBe(event.type === "end" ? `${event.offset}-end` : undefined);
    expect(readAll(messages)).toEqual([event]);
  });

  it("cuts a long replacement into `section` events that continue each other, each within the bound", () => {
    const event: DocumentEvent = { type: "section", number: 7, round: 2, from: 0, delta: EMOJI_DOCUMENT };
    const messages = wire(event);
    expect(messages.length).toBeGreaterThan(4);
    let text = "";
    for (const message of messages) {
      expect(message.event).toBe("section");
      expect(bytes(message.data)).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
      const piece = decodeDocumentEvent(message.event, message.data, message.id);
      expect(piece?.type === "section" && piece.from).toBe(text.length);
      if (piece?.type === "section") text += piece.delta;
    }
    expect(text).toBe(EMOJI_DOCUMENT);
  });

  it("cuts a long part text into `section-text` events whose offsets continue each other, each within the bound", () => {
    const start = 1_000;
    const event: DocumentEvent = { type: "section-text", section: 5, part: 2, delta: EMOJI_DOCUMENT, offset: start + EMOJI_DOCUMENT.length };
    let offset = start;
    for (const message of wire(event)) {
      expect(bytes(message.data)).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
      const piece = decodeDocumentEvent(message.event, message.data, message.id);
      if (piece?.type !== "section-text") throw new Error(`not section text: ${message.event}`);
      expect(piece.offset - piece.delta.length).toBe(offset);
      offset = piece.offset;
    }
    expect(offset).toBe(start + EMOJI_DOCUMENT.length);
  });

  it("sends events that fit as they always were: one event, its own type", () => {
    const small: DocumentEvent = { type: "repair", repair: { ...largeRepairRecord(), rounds: [] } };
    expect(wire(small).map((message) => message.event)).toEqual(["repair"]);
  });
});

describe("reading pieces", () => {
  const pieces = () => wire(LARGE_EVENTS[0]![1]);

  it("joins nothing until the last piece, then gives the whole event", () => {
    const read = createDocumentEventReader();
    const messages = pieces();
    for (const message of messages.slice(0, -1)) expect(read(message.event, message.data, message.id)).toBeNull();
    expect(read(messages.at(-1)!.event, messages.at(-1)!.data, undefined)).toEqual(LARGE_EVENTS[0]![1]);
  });

  it.each([
    ["a piece missing", (messages: EventSourceMessage[]) => [messages[0]!, messages[2]!]],
    ["a piece twice", (messages: EventSourceMessage[]) => [messages[0]!, messages[0]!]],
    ["a later piece first", (messages: EventSourceMessage[]) => [messages[1]!]],
    ["another event between pieces", (messages: EventSourceMessage[]) => [messages[0]!, { event: "tokens", data: '{"inputTokens":1,"outputTokens":1}', id: undefined }]],
    ["a piece of a piece", () => [{ event: PIECE_EVENT, data: JSON.stringify({ type: PIECE_EVENT, index: 0, count: 2, json: "{" }), id: undefined }]],
  ])("refuses %s: a stream the server never writes", (_name, arrange) => {
    const read = createDocumentEventReader();
    expect(() => arrange(pieces()).forEach((message) => read(message.event, message.data, message.id))).toThrow(DocumentEventFormatError);
  });

  it("starts over on a new connection: the pieces of a cut one are dropped, the replay reads whole", () => {
    const messages = pieces();
    const first = createDocumentEventReader();
    expect(first(messages[0]!.event, messages[0]!.data, undefined)).toBeNull();
    expect(readAll(messages)).toEqual([LARGE_EVENTS[0]![1]]);
  });

  it("does not read a piece alone: pieces need the reader that joins them", () => {
    expect(() => decodeDocumentEvent(PIECE_EVENT, pieces()[0]!.data, undefined)).toThrow(DocumentEventFormatError);
  });
});
