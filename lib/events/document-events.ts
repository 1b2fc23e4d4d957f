/**
 * The event stream of a document (GET /api/documents/{id}/stream), defined once: the server
 * writes it with `encodeDocumentEvent`, and the browser, the tests and the benchmarks read it with
 * `decodeDocumentEvent`. Runs in the browser too: no Node-only imports.
 *
 * Id scheme (every event type added later follows it):
 * - `text` events carry `id: <offset>`: the length of the document text (UTF-16 code units, as
 *   JavaScript string length) once the delta is appended. `?from=<offset>` or `Last-Event-ID:
 *   <offset>` resumes right after it.
 * - `end` carries `id: <offset>-end`. A client that reconnects with that id is answered 204, the
 *   event-stream signal to stop reconnecting.
 * - Every other event type carries no id, so a client's Last-Event-ID always names a text
 *   position. Such events describe state beside the text (channels with offsets of their own in
 *   their data); a server replays their current state on every attach, and clients de-duplicate
 *   by those offsets.
 * - `activity` is such a state: what the model is doing now (`waiting` for its first token,
 *   `thinking` — sending reasoning that never enters the document —, or `writing`). It is sent
 *   when it changes and once on every attach; it has no offset: the latest one wins.
 * In every event `data:` comes before `id:`, and an event is written whole, in one write: a client
 * that stores an id as soon as its line arrives can then lose an event only if the connection is
 * cut between those two lines.
 */
import type { FinalStatus } from "@/lib/documents/types";
import { DOCUMENT_STATUSES } from "@/lib/documents/types";

export type TextEvent = { type: "text"; delta: string; offset: number };
export type EndEvent = { type: "end"; offset: number; status: FinalStatus; error: string | null };
export const MODEL_ACTIVITIES = ["waiting", "thinking", "writing"] as const;
export type ModelActivity = (typeof MODEL_ACTIVITIES)[number];
export type ActivityEvent = { type: "activity"; activity: ModelActivity };
export type DocumentEvent = TextEvent | EndEvent | ActivityEvent;

/** Where a reader resumes: after `offset` characters of text, or nowhere (the stream had ended). */
export type ResumePosition = { kind: "offset"; offset: number } | { kind: "ended"; offset: number };

const END_SUFFIX = "-end";
/** Offsets are string lengths: well below 2^53, and a 13+ digit number is not one we wrote. */
const OFFSET_PATTERN = /^\d{1,12}$/;

function eventId(event: DocumentEvent): string | null {
  switch (event.type) {
    case "text":
      return String(event.offset);
    case "end":
      return `${event.offset}${END_SUFFIX}`;
    case "activity":
      return null;
  }
}

function eventData(event: DocumentEvent): unknown {
  switch (event.type) {
    case "text":
      return event.delta;
    case "end":
      return event.error ? { status: event.status, error: event.error } : { status: event.status };
    case "activity":
      return { activity: event.activity };
  }
}

/** One event as SSE text: `event:`, then `data:` (one line of JSON), then `id:` when it has one. */
export function encodeDocumentEvent(event: DocumentEvent): string {
  const id = eventId(event);
  // JSON.stringify escapes line breaks (and lone surrogates), so data is always one line.
  return `event: ${event.type}\ndata: ${JSON.stringify(eventData(event))}\n${id === null ? "" : `id: ${id}\n`}\n`;
}

function parseOffset(value: string | undefined): number | null {
  return value !== undefined && OFFSET_PATTERN.test(value) ? Number(value) : null;
}

/** The position an event id names: `<offset>` or `<offset>-end`. Null for anything else. */
export function parseEventId(value: string): ResumePosition | null {
  const trimmed = value.trim();
  if (trimmed.endsWith(END_SUFFIX)) {
    const offset = parseOffset(trimmed.slice(0, -END_SUFFIX.length));
    return offset === null ? null : { kind: "ended", offset };
  }
  const offset = parseOffset(trimmed);
  return offset === null ? null : { kind: "offset", offset };
}

function isFinalStatus(value: unknown): value is FinalStatus {
  return typeof value === "string" && value !== "generating" && (DOCUMENT_STATUSES as readonly string[]).includes(value);
}

export class DocumentEventFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DocumentEventFormatError";
  }
}

/**
 * Reads one event from its SSE fields. Event types this version does not know are ignored (null),
 * so older readers keep working when the server adds event types; a known type with a malformed
 * payload is an error, never a silent guess.
 */
export function decodeDocumentEvent(type: string | undefined, data: string, id: string | undefined): DocumentEvent | null {
  switch (type) {
    case "text": {
      const delta: unknown = JSON.parse(data);
      const offset = parseOffset(id);
      if (typeof delta !== "string" || offset === null || offset < delta.length) {
        throw new DocumentEventFormatError(`malformed text event (id ${String(id)})`);
      }
      return { type: "text", delta, offset };
    }
    case "end": {
      const payload: unknown = JSON.parse(data);
      const position = id === undefined ? null : parseEventId(id);
      const { status, error } = (payload ?? {}) as { status?: unknown; error?: unknown };
      if (!isFinalStatus(status) || (error !== undefined && typeof error !== "string") || position?.kind !== "ended") {
        throw new DocumentEventFormatError(`malformed end event: ${data}`);
      }
      return { type: "end", offset: position.offset, status, error: error ?? null };
    }
    case "activity": {
      const { activity } = ((JSON.parse(data) as unknown) ?? {}) as { activity?: unknown };
      if (!(MODEL_ACTIVITIES as readonly unknown[]).includes(activity)) {
        throw new DocumentEventFormatError(`malformed activity event: ${data}`);
      }
      return { type: "activity", activity: activity as ModelActivity };
    }
    default:
      return null;
  }
}
