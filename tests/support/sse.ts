/**
 * Reads a document's event stream as curl users and scripts do: bytes in, typed events out,
 * through the same reader the browser uses (lib/events/document-events.ts; an event sent in
 * pieces comes out whole) and a spec-compliant SSE parser (eventsource-parser).
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { createDocumentEventReader, MAX_EVENT_DATA_BYTES, type DocumentEvent, type EndEvent } from "@/lib/events/document-events";

/** The messages in a piece of SSE text, as any spec-compliant reader parses them (no size check). */
export function parseWire(wire: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = [];
  createParser({ onEvent: (message) => messages.push(message) }).feed(wire);
  return messages;
}

export class OversizedEventError extends Error {}

/**
 * Every event of a stream body as it is on the wire (type, data, id), as they arrive. Like a reader
 * whose line buffer holds MAX_EVENT_DATA_BYTES, it refuses an event whose data is longer: every
 * test that reads a stream (live or replayed, either mode, through the shared log) checks the bound.
 */
export async function* readWireEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const decoder = new TextDecoder();
  const ready: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (message) => {
      const bytes = Buffer.byteLength(message.data, "utf8");
      if (bytes > MAX_EVENT_DATA_BYTES) throw new OversizedEventError(`a ${message.event ?? "message"} event of ${bytes} bytes, over MAX_EVENT_DATA_BYTES`);
      ready.push(message);
    },
  });
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      yield* ready.splice(0);
    }
  } finally {
    reader.releaseLock();
  }
}

/** Every event of a stream body, decoded, as they arrive. Unknown event types are skipped. */
export async function* readDocumentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<DocumentEvent> {
  const read = createDocumentEventReader();
  for await (const message of readWireEvents(body)) {
    const event = read(message.event, message.data, message.id);
    if (event) yield event;
  }
}

export interface ConsumedStream {
  text: string;
  events: DocumentEvent[];
  end: EndEvent | null;
}

/** Reads a whole event stream, checking that every text event's offset continues the previous one. */
export async function consumeDocumentStream(body: ReadableStream<Uint8Array>, startOffset = 0): Promise<ConsumedStream> {
  let text = "";
  const events: DocumentEvent[] = [];
  let end: EndEvent | null = null;
  for await (const event of readDocumentEvents(body)) {
    events.push(event);
    if (event.type === "text") {
      if (event.offset !== startOffset + text.length + event.delta.length) {
        throw new Error(`offset ${event.offset} does not continue ${startOffset + text.length} + ${event.delta.length}`);
      }
      text += event.delta;
    } else if (event.type === "end") {
      end = event;
    }
  }
  return { text, events, end };
}
