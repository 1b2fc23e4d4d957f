/**
 * Reads a document's event stream as curl users and scripts do: bytes in, typed events out,
 * through the same reader the browser uses (lib/events/document-events.ts; an event sent in
 * pieces comes out whole) and a spec-compliant SSE parser (eventsource-parser).
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { createDocumentEventReader, type DocumentEvent, type EndEvent } from "@/lib/events/document-events";

/** Every event of a stream body as it is on the wire (type, data, id), as they arrive. */
export async function* readWireEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const decoder = new TextDecoder();
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => ready.push(message) });
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
