import "server-only";
import { encodeDocumentEvent } from "@/lib/events/document-events";
import type { DocumentEventSink, DocumentEventSource } from "@/lib/events/document-event-sink";
import { cancelFlush, scheduleFlush } from "./flush-scheduler";

/** Largest text event: small enough for any reader's buffer, large enough to replay quickly. */
export const MAX_TEXT_EVENT_CHARS = 4_096;
const KEEPALIVE_MS = 15_000;
/** How long a browser waits before reconnecting after a dropped connection. */
const RECONNECT_MS = 2_000;
/** Bytes queued for a reader before the stream pushes back on its writer. */
const HIGH_WATER_BYTES = 64 * 1024;
/** A reader this far behind is not reading: it is dropped (it can reconnect from its last id). */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // Tell nginx-style proxies not to buffer the stream.
  "X-Accel-Buffering": "no",
} as const;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Cuts text into events of at most MAX_TEXT_EVENT_CHARS that never split a surrogate pair. */
function textEvents(text: string, endOffset: number): string[] {
  const events: string[] = [];
  const startOffset = endOffset - text.length;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + MAX_TEXT_EVENT_CHARS);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    events.push(encodeDocumentEvent({ type: "text", delta: text.slice(start, end), offset: startOffset + end }));
    start = end;
  }
  return events;
}

/**
 * The transport of a document's event stream: writes what a source reports as server-sent
 * events, batching live text onto a shared timer, keeping idle connections alive, and dropping a
 * reader that stops reading instead of buffering for it without limit.
 */
export function createEventStream(source: DocumentEventSource, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const cleanups: (() => void)[] = [];
  const cleanup = () => cleanups.splice(0).forEach((fn) => fn());
  let finished = false;

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let pendingText = "";
        let pendingOffset = 0;

        const write = (chunk: string) => {
          if (finished) return;
          try {
            controller.enqueue(encoder.encode(chunk));
          } catch {
            finished = true; // the consumer went away between our check and the write
            cleanup();
            return;
          }
          if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) {
            finished = true;
            cleanup();
            controller.error(new Error("the reader stopped reading"));
          }
        };
        /** Writes pending text; a trailing high surrogate waits for its pair unless `all`. */
        const flush = (all: boolean) => {
          if (!pendingText) return;
          let text = pendingText;
          let offset = pendingOffset;
          if (!all && isHighSurrogate(text.charCodeAt(text.length - 1))) {
            text = text.slice(0, -1);
            offset -= 1;
          }
          pendingText = pendingText.slice(text.length);
          for (const event of textEvents(text, offset)) write(event);
        };
        const scheduledFlush = () => flush(false);
        cleanups.push(() => cancelFlush(scheduledFlush));

        const sink: DocumentEventSink = {
          get closed() {
            return finished;
          },
          text(delta, offset) {
            if (finished || !delta) return;
            pendingText += delta;
            pendingOffset = offset;
            scheduleFlush(scheduledFlush);
          },
          send(event) {
            // Text first; only the last event may leave half a surrogate pair behind it.
            flush(event.type === "end");
            write(encodeDocumentEvent(event));
          },
          close() {
            if (finished) return;
            flush(true);
            finished = true;
            cleanup();
            try {
              controller.close();
            } catch {
              // already cancelled by the consumer
            }
          },
        };

        // Headers and a first byte at once, so clients and proxies see a live stream before the first token.
        write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
        const onAbort = () => sink.close();
        signal.addEventListener("abort", onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener("abort", onAbort));
        const keepalive = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
        cleanups.push(() => clearInterval(keepalive));
        if (finished) return;
        const stop = source(sink);
        if (finished) stop();
        else cleanups.push(stop);
      },
      cancel() {
        finished = true;
        cleanup();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}
