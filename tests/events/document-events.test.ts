import { createParser, type EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { decodeDocumentEvent, DocumentEventFormatError, encodeDocumentEvent, parseEventId, type DocumentEvent } from "@/lib/events/document-events";

function parse(wire: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  parser.feed(wire);
  return messages;
}

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
    expect(encodeDocumentEvent({ type: "end", offset: 7, status: "failed", error: "The model stopped." })).toBe(
      'event: end\ndata: {"status":"failed","error":"The model stopped."}\nid: 7-end\n\n',
    );
    expect(encodeDocumentEvent({ type: "end", offset: 0, status: "complete", error: null })).toBe('event: end\ndata: {"status":"complete"}\nid: 0-end\n\n');
  });

  it.each<DocumentEvent>([
    { type: "text", delta: "ascii", offset: 5 },
    { type: "text", delta: "汉字と絵文字 👩‍💻", offset: 1_000_000 },
    { type: "text", delta: "\ud83d", offset: 1 }, // a lone surrogate survives as an escape
    { type: "end", offset: 44_891, status: "complete", error: null },
    { type: "end", offset: 12, status: "interrupted", error: "The server stopped." },
    { type: "activity", activity: "waiting" },
    { type: "activity", activity: "thinking" },
    { type: "activity", activity: "writing" },
  ])("reads back what it wrote: %j", (event) => {
    expect(roundTrip(event)).toEqual(event);
  });

  it("writes `activity` without an id, so Last-Event-ID always names a text position", () => {
    expect(encodeDocumentEvent({ type: "activity", activity: "thinking" })).toBe('event: activity\ndata: {"activity":"thinking"}\n\n');
    // Browsers report the stream's last id on every event: an activity event may carry one.
    expect(decodeDocumentEvent("activity", '{"activity":"writing"}', "42")).toEqual({ type: "activity", activity: "writing" });
  });

  it("ignores event types it does not know, so old readers survive new events", () => {
    expect(decodeDocumentEvent("checks", "{}", undefined)).toBeNull();
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
  ])("refuses %s", (_name, type, data, id) => {
    expect(() => decodeDocumentEvent(type, data, id)).toThrow(DocumentEventFormatError);
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
