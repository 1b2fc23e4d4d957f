import { cancelFlush, scheduleFlush } from "@/lib/http/flush-scheduler";
import { endEvent, KEEPALIVE, textEvent } from "@/lib/http/sse";
import type { Studio } from "@/lib/studio";

const REPLAY_PIECE = 16_384;
const KEEPALIVE_MS = 15_000;
const POLL_MS = 1_000;

type Sink = {
  /** Queues live text ending at `offset`; consecutive deltas go out as one event on the next flush. */
  text(delta: string, offset: number): void;
  send(chunk: string): void;
  close(): void;
  closed: boolean;
};

function replay(sink: Sink, text: string, from: number): number {
  for (let start = from; start < text.length; start += REPLAY_PIECE) {
    const end = Math.min(text.length, start + REPLAY_PIECE);
    sink.send(textEvent(text.slice(start, end), end));
  }
  return Math.max(from, text.length);
}

/**
 * The event stream of one document: everything from `from`, then live text until the
 * generation ends. Returns null for an unknown id.
 */
export async function openDocumentStream(studio: Studio, id: string, from: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array> | null> {
  const job = studio.registry.get(id);
  const stored = job ? null : await studio.store.get(id);
  if (!job && !stored) return null;

  const encoder = new TextEncoder();
  const cleanups: (() => void)[] = [];
  const cleanup = () => cleanups.splice(0).forEach((fn) => fn());
  let readerGone = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let pendingDelta = "";
      let pendingOffset = 0;
      const enqueue = (chunk: string) => {
        if (readerGone) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          readerGone = true; // the consumer went away between our check and the write
        }
      };
      const flush = () => {
        if (!pendingDelta || sink.closed) return;
        enqueue(textEvent(pendingDelta, pendingOffset));
        pendingDelta = "";
      };
      cleanups.push(() => cancelFlush(flush));
      const sink: Sink = {
        closed: false,
        text(delta, offset) {
          pendingDelta += delta;
          pendingOffset = offset;
          scheduleFlush(flush);
        },
        send(chunk) {
          if (this.closed) return;
          flush(); // keep events in order
          enqueue(chunk);
        },
        close() {
          if (this.closed) return;
          flush();
          this.closed = true;
          cleanup();
          if (readerGone) return;
          try {
            controller.close();
          } catch {
            // already cancelled by the consumer
          }
        },
      };
      const onAbort = () => sink.close();
      signal.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener("abort", onAbort));
      const keepalive = setInterval(() => sink.send(KEEPALIVE), KEEPALIVE_MS);
      cleanups.push(() => clearInterval(keepalive));

      const live = studio.registry.get(id);
      if (live) {
        // Snapshot and subscribe in one synchronous turn: no delta can fall in between.
        replay(sink, live.text, Math.min(from, live.text.length));
        const unsubscribe = live.subscribe((event) => {
          if (event.type === "text") {
            sink.text(event.delta, event.offset);
          } else {
            sink.send(endEvent(event.status, event.error));
            sink.close();
          }
        });
        cleanups.push(unsubscribe);
        return;
      }

      const document = stored!;
      let offset = replay(sink, document.markdown, Math.min(from, document.markdown.length));
      if (document.status !== "generating") {
        sink.send(endEvent(document.status, document.error));
        sink.close();
        return;
      }
      // Generating in another process that shares the database: follow its checkpoints.
      const poll = setInterval(async () => {
        const current = await studio.store.get(id).catch(() => null);
        if (sink.closed) return;
        if (!current) return sink.close();
        offset = replay(sink, current.markdown, Math.min(offset, current.markdown.length));
        if (current.status !== "generating") {
          sink.send(endEvent(current.status, current.error));
          sink.close();
        }
      }, POLL_MS);
      cleanups.push(() => clearInterval(poll));
    },
    cancel() {
      readerGone = true;
      cleanup();
    },
  });
}
