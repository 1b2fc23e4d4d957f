import type { DocumentEvent } from "./document-events";

/**
 * Where a source of document events writes: the event-stream transport implements it. Sources
 * say what happened; the transport decides how it goes on the wire (batching, keep-alive,
 * backpressure), through the encoder, which cuts events to their largest size.
 */
export interface DocumentEventSink {
  /** Text ending at `offset`. Consecutive deltas may go out as one event. */
  text(delta: string, offset: number): void;
  /** Any other event, after the text already given. */
  send(event: Exclude<DocumentEvent, { type: "text" }>): void;
  /** No more events (after `end`, or when the document is gone). */
  close(): void;
  readonly closed: boolean;
}

/** Starts writing a document's events into the sink; returns how to stop. */
export type DocumentEventSource = (sink: DocumentEventSink) => () => void;
