import "server-only";
import { encodeDocumentEvent } from "@/lib/events/document-events";
import type { DocumentEventSink, DocumentEventSource } from "@/lib/events/document-event-sink";
import { cancelFlush, scheduleFlush } from "./flush-scheduler";

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

const encodeText = (delta: string, offset: number) => encodeDocumentEvent({ type: "text", delta, offset });

/** Text waiting to be written on one channel: the document's `text`, or one part's `section-text`. */
interface PendingChannel {
  text: string;
  /** The offset the pending text ends at. */
  offset: number;
  encode(delta: string, offset: number): string;
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
        // In first-write order; a channel's text is merged until it is flushed.
        const channels = new Map<string, PendingChannel>();

        const write = (chunk: string) => {
          if (finished) return;
          // The catch is unreachable while `finished` is set before every close, error and cancel; it
          // stays in case a future path forgets to. No test can tell its mutants from the original.
          // Stryker disable all
          try {
            controller.enqueue(encoder.encode(chunk));
          } catch {
            finished = true; // the consumer went away between our check and the write
            cleanup();
            return;
          }
          // Stryker restore all
          if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) {
            finished = true;
            cleanup();
            controller.error(new Error("the reader stopped reading"));
          }
        };
        /** Writes pending text; a trailing high surrogate waits for its pair unless `all`. */
        const flush = (all: boolean) => {
          for (const [key, channel] of channels) {
            let text = channel.text;
            let offset = channel.offset;
            if (!all && isHighSurrogate(text.charCodeAt(text.length - 1))) {
              text = text.slice(0, -1);
              offset -= 1;
            }
            channel.text = channel.text.slice(text.length);
            if (!channel.text) channels.delete(key);
            // The encoder cuts a long delta (a replay) into events of at most MAX_EVENT_DATA_BYTES.
            if (text) write(channel.encode(text, offset));
          }
        };
        const queue = (key: string, delta: string, offset: number, encode: PendingChannel["encode"]) => {
          if (finished || !delta) return;
          const channel = channels.get(key);
          if (channel && channel.offset === offset - delta.length) {
            channel.text += delta;
            channel.offset = offset;
          } else {
            // Not a continuation of what is pending (a replay): what is pending goes first.
            if (channel) flush(true);
            channels.set(key, { text: delta, offset, encode });
          }
          scheduleFlush(scheduledFlush);
        };
        const scheduledFlush = () => flush(false);
        cleanups.push(() => cancelFlush(scheduledFlush));

        const sink: DocumentEventSink = {
          get closed() {
            return finished;
          },
          text(delta, offset) {
            queue("text", delta, offset, encodeText);
          },
          send(event) {
            if (event.type === "section-text") {
              const { section, part } = event;
              queue(`${section}.${part}`, event.delta, event.offset, (delta, offset) => encodeDocumentEvent({ type: "section-text", section, part, delta, offset }));
              return;
            }
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
        // A request that was gone before the stream started never hears "abort": no source for it.
        if (signal.aborted) sink.close();
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
