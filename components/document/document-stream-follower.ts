/**
 * Follows a document's event stream in the browser, without React: attaches from the text it
 * already has, accepts only text that continues it exactly, re-attaches after a gap or a dropped
 * connection (backing off against a server that keeps refusing), and stops at `end`.
 */
import { decodeDocumentEvent, type DocumentEvent, type EndEvent, type ModelActivity } from "@/lib/events/document-events";

export type ConnectionState = "idle" | "connecting" | "live" | "reconnecting";

/** The part of the browser's EventSource this module uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export const EVENT_SOURCE_CLOSED = 2;
const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export interface StreamFollowerOptions {
  /** The stream URL for a reader that has `from` characters. */
  url(from: number): string;
  /** Characters of text already held. */
  received: number;
  createSource(url: string): EventSourceLike;
  /** Text that continues exactly what was received. */
  onText(delta: string): void;
  onEnd(end: EndEvent): void;
  /** What the model is doing now (sent on attach and on every change). */
  onActivity?(activity: ModelActivity): void;
  onConnection(state: ConnectionState): void;
  /**
   * The stream was closed for good (an error status, or 204 after the end): asks for the
   * document's state. True when the generation is over and following should stop.
   */
  settleFromServer(): Promise<boolean>;
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(timer: unknown): void;
}

export interface StreamFollower {
  /** Characters of text received so far. */
  readonly received: number;
  stop(): void;
}

export function followDocumentStream(options: StreamFollowerOptions): StreamFollower {
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let received = options.received;
  let source: EventSourceLike | null = null;
  let retryTimer: unknown;
  let stopped = false;
  let failures = 0;

  const stop = () => {
    stopped = true;
    clearTimer(retryTimer);
    source?.close();
    options.onConnection("idle");
  };

  const connect = () => {
    if (stopped) return;
    options.onConnection(source ? "reconnecting" : "connecting");
    source?.close();
    const current = options.createSource(options.url(received));
    source = current;
    current.onopen = () => {
      failures = 0;
      options.onConnection("live");
    };
    /** A malformed event is treated like a gap: attach again from what we really have. */
    const decode = (type: string, message: MessageEvent<string>): DocumentEvent | null => {
      try {
        return decodeDocumentEvent(type, message.data, message.lastEventId);
      } catch {
        connect();
        return null;
      }
    };
    current.addEventListener("text", (message) => {
      if (source !== current) return;
      const event = decode("text", message);
      if (event?.type !== "text" || event.offset <= received) return; // already have it (replay after reconnect)
      if (event.offset - event.delta.length !== received) {
        connect(); // a gap: ask again from what we really have
        return;
      }
      received = event.offset;
      options.onText(event.delta);
    });
    current.addEventListener("activity", (message) => {
      if (source !== current) return;
      const event = decode("activity", message);
      if (event?.type === "activity") options.onActivity?.(event.activity);
    });
    current.addEventListener("end", (message) => {
      if (source !== current) return;
      const event = decode("end", message);
      if (event?.type !== "end") return;
      stop();
      options.onEnd(event);
    });
    current.onerror = () => {
      if (stopped || source !== current) return;
      options.onConnection("reconnecting");
      // EventSource retries by itself while CONNECTING; once CLOSED (an error status, or 204), it will not.
      if (current.readyState !== EVENT_SOURCE_CLOSED) return;
      const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** failures++);
      void options.settleFromServer().then(
        (over) => {
          if (over) stop();
          else if (!stopped) retryTimer = setTimer(connect, delay);
        },
        () => {
          if (!stopped) retryTimer = setTimer(connect, delay);
        },
      );
    };
  };

  connect();
  return {
    get received() {
      return received;
    },
    stop,
  };
}
