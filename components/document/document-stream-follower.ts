/**
 * Follows a document's event stream in the browser, without React: attaches from the text it
 * already has, accepts only text that continues it exactly, re-attaches after a gap or a dropped
 * connection (backing off against a server that keeps refusing), and stops at `end`. Parallel
 * mode's parts are followed the same way, each on its own channel: the server replays every part
 * from its start on attach, and only what continues what is held is passed on; so is each
 * section's replacement text while a repair writes it (its own channel per section and round).
 * An event the server sent in pieces (over 4 KB: a repair's record, a version's text) is passed on
 * once whole, joined from one connection's pieces (lib/events/document-events.ts).
 */
import type { Outline } from "@/lib/documents/section-parts";
import {
  createDocumentEventReader,
  type DocumentEvent,
  type EndEvent,
  type ModelActivity,
  type SectionStateEvent,
  type VersionEvent,
  WIRE_EVENT_TYPES,
} from "@/lib/events/document-events";
import type { RepairRecord } from "@/lib/repair/record";
import type { TypecheckResult } from "@/lib/typecheck/result";

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
  /** The server's type check (it says which text length it is for). */
  onChecks(typecheck: TypecheckResult): void;
  /** The repair's state (replayed whole on every attach: the latest is the truth). */
  onRepair?(repair: RepairRecord): void;
  /** A repair: the whole replacement text of section `number` so far, in `round`, each time it grows (duplicates and replays are dropped). */
  onRepairText?(number: number, round: number, text: string): void;
  /** A new version of the document, with its text. */
  onVersion?(event: VersionEvent): void;
  onConnection(state: ConnectionState): void;
  /** Parallel mode: characters already held of each part ("section.part" → length). */
  parts?: ReadonlyMap<string, number>;
  /** Parallel mode: text that continues exactly what is held of that part. */
  onSectionText?(section: number, part: number, delta: string): void;
  onSectionState?(state: SectionStateEvent): void;
  onOutline?(outline: Outline): void;
  /** The document's model tokens so far. */
  onTokens?(inputTokens: number, outputTokens: number): void;
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
  const partLengths = new Map(options.parts ?? []);
  let source: EventSourceLike | null = null;
  let retryTimer: unknown;
  let stopped = false;
  let failures = 0;
  /** Replacement text per section, keyed by round: a replayed or repeated delta is dropped by its offset. */
  const sectionTexts = new Map<number, { round: number; text: string }>();

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
    // One reader per connection: an event sent in pieces is joined from one connection's pieces
    // only. EventSource reconnects by itself after a cut (`open` again), and a cut inside an
    // event's pieces drops them: the new connection's replay sends that event again.
    let read = createDocumentEventReader();
    current.onopen = () => {
      failures = 0;
      read = createDocumentEventReader();
      options.onConnection("live");
    };
    /** What each event does to what the follower holds (by type: a piece arrives as the event it completes). */
    const handlers: { [K in DocumentEvent["type"]]: (event: Extract<DocumentEvent, { type: K }>) => void } = {
      text: (event) => {
        if (event.offset <= received) return; // already have it (replay after reconnect)
        if (event.offset - event.delta.length !== received) {
          connect(); // a gap: ask again from what we really have
          return;
        }
        received = event.offset;
        options.onText(event.delta);
      },
      "section-text": (event) => {
        const key = `${event.section}.${event.part}`;
        const have = partLengths.get(key) ?? 0;
        const start = event.offset - event.delta.length;
        if (event.offset <= have) return; // already have it (the replay on attach)
        if (start > have) {
          connect(); // a gap: the next attach replays the part from its start
          return;
        }
        partLengths.set(key, event.offset);
        options.onSectionText?.(event.section, event.part, event.delta.slice(have - start));
      },
      section: (event) => {
        let held = sectionTexts.get(event.number);
        if (!held || event.round > held.round) {
          if (event.from !== 0) return; // the start of a new round's text comes again on the next attach
          held = { round: event.round, text: "" };
          sectionTexts.set(event.number, held);
        }
        if (event.round < held.round) return;
        const end = event.from + event.delta.length;
        if (end <= held.text.length) return; // already have it (replay after reconnect)
        if (event.from > held.text.length) {
          connect(); // a gap: attach again, the server replays it from 0
          return;
        }
        held.text += event.delta.slice(held.text.length - event.from);
        options.onRepairText?.(event.number, event.round, held.text);
      },
      end: (event) => {
        stop();
        options.onEnd(event);
      },
      // State replayed whole on every attach: the latest is the truth.
      activity: (event) => options.onActivity?.(event.activity),
      "section-state": (event) => options.onSectionState?.(event),
      outline: (event) => options.onOutline?.(event.outline),
      tokens: (event) => options.onTokens?.(event.inputTokens, event.outputTokens),
      checks: (event) => options.onChecks(event.typecheck),
      repair: (event) => options.onRepair?.(event.repair),
      version: (event) => options.onVersion?.(event),
    };
    // TypeScript cannot tie a handler to its event's type through the lookup: the mapped type above does.
    const handle = (event: DocumentEvent) => (handlers[event.type] as (event: DocumentEvent) => void)(event);
    for (const type of WIRE_EVENT_TYPES) {
      current.addEventListener(type, (message) => {
        if (source !== current) return;
        let event: DocumentEvent | null;
        try {
          event = read(type, message.data, message.lastEventId);
        } catch {
          connect(); // a malformed event is treated like a gap: attach again from what we really have
          return;
        }
        if (event) handle(event);
      });
    }
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
