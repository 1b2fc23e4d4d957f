import type { DocumentEvent } from "@/lib/events/document-events";
import type { DocumentEventSink } from "@/lib/events/document-event-sink";

/**
 * A reader for event-source tests: the text it was sent (each delta checked to continue the last
 * exactly, from `from`), every other event in order, and whether the source closed it.
 */
export function recordingSink(from = 0) {
  const events: Exclude<DocumentEvent, { type: "text" }>[] = [];
  let received = "";
  let closed = false;
  const sink: DocumentEventSink = {
    get closed() {
      return closed;
    },
    text(delta, offset) {
      if (offset !== from + received.length + delta.length) throw new Error(`offset ${offset} does not continue ${from + received.length}`);
      received += delta;
    },
    send(event) {
      events.push(event);
    },
    close() {
      closed = true;
    },
  };
  return { sink, events, text: () => received, closed: () => closed };
}
