/**
 * The event stream of a document (GET /api/documents/{id}/stream), defined once: the server
 * writes it with `encodeDocumentEvent`, and the browser, the tests and the benchmarks read it with
 * `createDocumentEventReader` (one event at a time: `decodeDocumentEvent`). Runs in the browser
 * too: no Node-only imports.
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
 *
 * State beside the text (no ids):
 * - `activity`: what the model is doing now (`waiting` for its first token, `thinking` — sending
 *   reasoning that never enters the document —, or `writing`). Sent when it changes and once on
 *   every attach; the latest one wins. In parallel mode it is what the parts do together, during a
 *   repair what the requests of the sections being rewritten do together.
 * - `checks`: the server's type check (its `checkedLength` says which text it is for).
 * - `tokens`: the document's model tokens so far, `{inputTokens, outputTokens}` (after each request).
 * - Parallel mode (see lib/documents/section-parts.ts): `outline` (the plan, once validated);
 *   `section-text` (`{section, part, offset, delta}`: each part's own text channel, `offset` the
 *   length of that part's text once the delta is appended, 0-based per part, append-only within a
 *   generation); `section-state` (`{section, part, parts, state, length, error, continuations,
 *   inputTokens, outputTokens}`, `length` the part's text length when the state was sent: a reader
 *   that has fewer characters of that part will still receive them). On attach the server replays
 *   the outline, then each part's text (from offset 0) followed by its state. The `text` channel
 *   still carries the whole document in order: a part's text goes out there once every part before
 *   it is complete (all of it, unfinished parts included, before `end`).
 * - The repair after the first pass (either mode; it works on the assembled document):
 *   `repair`: the state of the repair (its rounds, each section's state, the items being fixed,
 *   why a replacement was kept out). Replayed whole (in pieces when large); the latest one is the truth.
 *   `section`: the replacement text of one section as the model writes it, in its own channel
 *   keyed by `{number, round}`: `from` is the offset of `delta` in that replacement. Replayed from
 *   0 on attach; a client appends a delta only where it continues what it holds.
 *   `version`: a new version of the document (an accepted repair round), with its whole text.
 *   The `text` channel keeps carrying the text the job started from (its first pass), so its
 *   offsets and ids stay valid; the latest version is replayed on attach.
 * - `end` carries `{status, version}`: a client that knows only `text` and `end` gets the first
 *   pass and, from `version`, learns to fetch the final text from GET.
 * In every event `data:` comes before `id:`, and an event is written whole, in one write: a client
 * that stores an id as soon as its line arrives can then lose an event only if the connection is
 * cut between those two lines.
 *
 * Size: no event's data is larger than MAX_EVENT_DATA_BYTES (4 KB), replayed or live: every
 * event goes through `encodeDocumentEvent`, which cuts a longer text channel delta into several
 * deltas and sends any other larger event as `piece` events (see there).
 */
import type { FinalStatus } from "@/lib/documents/types";
import { DOCUMENT_STATUSES, isRunningStatus } from "@/lib/documents/types";
import { type Outline, PART_STATES, type PartProgress, type PartState } from "@/lib/documents/section-parts";
import type { DocumentVersionSummary } from "@/lib/documents/versions";
import type { RepairRecord } from "@/lib/repair/record";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { jsonStringCuts, utf8Length } from "./json-size";

export type TextEvent = { type: "text"; delta: string; offset: number };
/** `version`: the document's latest version once everything (repairs, type check) has finished; null from a server that did not say. */
export type EndEvent = { type: "end"; offset: number; status: FinalStatus; error: string | null; version: number | null };
export const MODEL_ACTIVITIES = ["waiting", "thinking", "writing"] as const;
export type ModelActivity = (typeof MODEL_ACTIVITIES)[number];
export type ActivityEvent = { type: "activity"; activity: ModelActivity };
/** The server's type check of the first `typecheck.checkedLength` characters (no id; replayed on attach). */
export type ChecksEvent = { type: "checks"; typecheck: TypecheckResult };
/** The document's model tokens so far (no id; replayed on attach). */
export type TokensEvent = { type: "tokens"; inputTokens: number; outputTokens: number };
/** Parallel mode: the validated outline (no id; replayed on attach). */
export type OutlineEvent = { type: "outline"; outline: Outline };
/** Parallel mode: text of one part, ending at `offset` of that part's own text (no id). */
export type SectionTextEvent = { type: "section-text"; section: number; part: number; delta: string; offset: number };
/** Parallel mode: one part's state; `length` is its text length at that moment (no id; replayed on attach). */
export type SectionStateEvent = {
  type: "section-state";
  section: number;
  part: number;
  parts: number;
  state: PartState;
  length: number;
  error: string | null;
  continuations: number;
  inputTokens: number;
  outputTokens: number;
};
/** The repair's state (no id; replayed on attach). */
export type RepairEvent = { type: "repair"; repair: RepairRecord };
/** Characters `from`… of the replacement being written for section `number` in round `round` (no id). */
export type SectionEvent = { type: "section"; number: number; round: number; from: number; delta: string };
/** A new version and its whole text (no id; the latest is replayed on attach). */
export type VersionEvent = { type: "version"; version: DocumentVersionSummary; markdown: string };
/**
 * The events that describe state beside the text (no id; replayed on attach): the type check, the
 * tokens, parallel mode's outline and parts, and the repair's state, replacement text and latest
 * version. The job publishes them as they are sent (lib/generation/job.ts).
 */
export type StateEvent = ChecksEvent | TokensEvent | OutlineEvent | SectionTextEvent | SectionStateEvent | RepairEvent | SectionEvent | VersionEvent;
export type DocumentEvent = TextEvent | EndEvent | ActivityEvent | StateEvent;

/** The text of a part from character `from` on, as its `section-text` event (0: the whole part, as a replay sends it). */
export function sectionTextEvent(part: PartProgress, from = 0): SectionTextEvent {
  return { type: "section-text", section: part.section, part: part.part, delta: part.text.slice(from), offset: part.text.length };
}

/** A part's `section-state` event; `length` is what a reader holds of its text (all of it unless said). */
export function sectionStateEvent(part: PartProgress, length = part.text.length): SectionStateEvent {
  return {
    type: "section-state",
    section: part.section,
    part: part.part,
    parts: part.parts,
    state: part.state,
    length,
    error: part.error,
    continuations: part.continuations,
    inputTokens: part.inputTokens,
    outputTokens: part.outputTokens,
  };
}

/**
 * The largest data of one event on the wire, in UTF-8 bytes (what follows `data: ` on its line):
 * issue #12's "replay events of at most ~4 KB". It holds for live events too (a repair's record,
 * a new version's text and a type check can each be tens of KB at any moment), so readers with a
 * small line buffer (proxies, scripts reading line by line) never meet a longer line.
 */
export const MAX_EVENT_DATA_BYTES = 4_096;

/** The event type that carries a piece of an event larger than MAX_EVENT_DATA_BYTES (see `encodeDocumentEvent`). */
export const PIECE_EVENT = "piece";

/** Every type of event a reader may meet on the wire (an EventSource listens to each by name). */
export const WIRE_EVENT_TYPES: readonly string[] = [
  ...Object.keys({
    text: true,
    end: true,
    activity: true,
    checks: true,
    tokens: true,
    outline: true,
    "section-text": true,
    "section-state": true,
    repair: true,
    section: true,
    version: true,
  } satisfies Record<DocumentEvent["type"], true>),
  PIECE_EVENT,
];

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
    default:
      return null;
  }
}

function eventData(event: DocumentEvent): unknown {
  switch (event.type) {
    case "text":
      return event.delta;
    case "end": {
      const version = event.version === null ? {} : { version: event.version };
      return event.error ? { status: event.status, error: event.error, ...version } : { status: event.status, ...version };
    }
    case "activity":
      return { activity: event.activity };
    case "checks":
      return event.typecheck;
    case "tokens":
      return { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
    case "outline":
      return event.outline;
    case "section-text":
      return { section: event.section, part: event.part, offset: event.offset, delta: event.delta };
    case "section-state":
      return {
        section: event.section,
        part: event.part,
        parts: event.parts,
        state: event.state,
        length: event.length,
        error: event.error,
        continuations: event.continuations,
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
      };
    case "repair":
      return event.repair;
    case "section":
      return { number: event.number, round: event.round, from: event.from, delta: event.delta };
    case "version":
      return { ...event.version, markdown: event.markdown };
  }
}

/** One SSE event: `event:`, then `data:` (one line: JSON.stringify escapes line breaks and lone surrogates), then `id:` when it has one. */
function sseEvent(type: string, data: string, id: string | null): string {
  return `event: ${type}\ndata: ${data}\n${id === null ? "" : `id: ${id}\n`}\n`;
}

type ChannelEvent = TextEvent | SectionTextEvent | SectionEvent;

/**
 * A text channel's event cut into consecutive events of the same channel whose data fits: each
 * is complete on its own (its own offsets, a text piece its own id), as live batches are, so
 * readers need nothing new, and a connection cut between two pieces resumes after the first.
 */
function channelPieces(event: ChannelEvent): ChannelEvent[] {
  const start = event.type === "section" ? event.from : event.offset - event.delta.length;
  const end = start + event.delta.length;
  // The data beside the delta at its widest: the last piece's offsets have the most digits.
  const widest: ChannelEvent = event.type === "section" ? { ...event, from: end, delta: "" } : { ...event, delta: "" };
  const beside = utf8Length(JSON.stringify(eventData(widest))) - 2;
  let from = 0;
  return jsonStringCuts(event.delta, MAX_EVENT_DATA_BYTES - beside).map((to) => {
    const delta = event.delta.slice(from, to);
    const piece: ChannelEvent = event.type === "section" ? { ...event, from: start + from, delta } : { ...event, delta, offset: start + to };
    from = to;
    return piece;
  });
}

/**
 * An event that is not a text channel. Larger than MAX_EVENT_DATA_BYTES, its data (one JSON
 * text) goes out as consecutive `piece` events, `{"type", "index", "count", "json"}`, the last
 * carrying the event's id if it has one: joining the `json` of pieces 0…count-1 gives the data of
 * one event of `type` (createDocumentEventReader does it). Why pieces of the JSON, and not a
 * smaller form of each event (a repair summary plus an event per section, a version without its
 * text fetched from GET …/markdown?version=N): the event a reader gets is exactly today's, for
 * every type (the repair record, a version's text, a type check, an outline, and any type added
 * later), so the page and API clients keep their logic and no untrusted string (a provider's
 * error quoted in a reason) can make an event too large; a version's text never equals the
 * `text` channel's (that carries the pass; a version is a repair round's), so sending its
 * metadata alone would always mean another request; and these events carry no id and are replayed
 * on every attach, so a connection cut between two pieces loses nothing: the next attach sends
 * the whole event again. A reader that does not know `piece` ignores it (unknown types are to be
 * ignored): it misses the large events and reads everything else as before.
 */
function encodeWhole(event: Exclude<DocumentEvent, ChannelEvent>): string {
  const data = JSON.stringify(eventData(event));
  const id = eventId(event);
  // As for a channel: most events fit without counting.
  if (data.length * 3 <= MAX_EVENT_DATA_BYTES || utf8Length(data) <= MAX_EVENT_DATA_BYTES) return sseEvent(event.type, data, id);
  // The data beside `json`, with indexes as wide as they could ever be.
  const beside = utf8Length(JSON.stringify({ type: event.type, index: data.length, count: data.length, json: "" })) - 2;
  const cuts = jsonStringCuts(data, MAX_EVENT_DATA_BYTES - beside);
  let from = 0;
  return cuts
    .map((to, index) => {
      const json = data.slice(from, to);
      from = to;
      return sseEvent(PIECE_EVENT, JSON.stringify({ type: event.type, index, count: cuts.length, json }), index === cuts.length - 1 ? id : null);
    })
    .join("");
}

/**
 * One event as SSE text, in events whose data is at most MAX_EVENT_DATA_BYTES: one event when it
 * fits; a text channel's delta (`text`, `section-text`, `section`) cut into several deltas of its
 * channel (never inside a surrogate pair); any other event cut into `piece` events (encodeWhole).
 * Written in one write, every event whole.
 */
export function encodeDocumentEvent(event: DocumentEvent): string {
  switch (event.type) {
    case "text":
    case "section-text":
    case "section": {
      const data = JSON.stringify(eventData(event));
      // A live batch is short, and a UTF-16 code unit takes at most 3 bytes in UTF-8: one event, no counting.
      if (data.length * 3 <= MAX_EVENT_DATA_BYTES) return sseEvent(event.type, data, eventId(event));
      return channelPieces(event)
        .map((piece) => sseEvent(piece.type, JSON.stringify(eventData(piece)), eventId(piece)))
        .join("");
    }
    default:
      return encodeWhole(event);
  }
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

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
/** 0 is the head (title and summary), 1–12 the sections; parts count from 1. */
const isSection = (value: unknown): value is number => isCount(value) && value <= 12;
const isPart = (value: unknown): value is number => isCount(value) && value >= 1 && value <= 8;

function malformed(type: string): never {
  throw new DocumentEventFormatError(`malformed ${type} event`);
}

function decodeOutline(payload: unknown): Outline {
  const outline = payload as Partial<Outline> | null;
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === "string");
  if (
    typeof outline?.title !== "string" ||
    typeof outline.summary !== "string" ||
    !strings(outline.keyTerms) ||
    !Array.isArray(outline.incorrectApproaches) ||
    !outline.incorrectApproaches.every((approach) => typeof approach?.name === "string" && typeof approach.summary === "string") ||
    !Array.isArray(outline.sections) ||
    !outline.sections.every((section) => isSection(section?.number) && typeof section.covers === "string")
  ) {
    malformed("outline");
  }
  return outline as Outline;
}

function decodeSectionText(payload: unknown): SectionTextEvent {
  const { section, part, offset, delta } = (payload ?? {}) as Record<string, unknown>;
  if (!isSection(section) || !isPart(part) || typeof delta !== "string" || !isCount(offset) || offset < delta.length) malformed("section-text");
  return { type: "section-text", section, part, offset, delta };
}

function decodeSectionState(payload: unknown): SectionStateEvent {
  const { section, part, parts, state, length, error, continuations, inputTokens, outputTokens } = (payload ?? {}) as Record<string, unknown>;
  if (
    !isSection(section) ||
    !isPart(part) ||
    !isPart(parts) ||
    part > parts ||
    !(PART_STATES as readonly unknown[]).includes(state) ||
    !isCount(length) ||
    (error !== null && typeof error !== "string") ||
    !isCount(continuations) ||
    !isCount(inputTokens) ||
    !isCount(outputTokens)
  ) {
    malformed("section-state");
  }
  return { type: "section-state", section, part, parts, state: state as PartState, length, error, continuations, inputTokens, outputTokens };
}

/** A count from 1: versions, rounds and section numbers of the repair. */
const isPositive = (value: unknown): value is number => isCount(value) && value >= 1;
function isFinalStatus(value: unknown): value is FinalStatus {
  return typeof value === "string" && !isRunningStatus(value) && (DOCUMENT_STATUSES as readonly string[]).includes(value);
}

export class DocumentEventFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DocumentEventFormatError";
  }
}

/**
 * Reads one whole event from its SSE fields. Event types this version does not know are ignored
 * (null), so older readers keep working when the server adds event types; a known type with a
 * malformed payload is an error, never a silent guess. `piece` events need the pieces before
 * them: read a stream with createDocumentEventReader.
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
      const { status, error, version } = (payload ?? {}) as { status?: unknown; error?: unknown; version?: unknown };
      if (
        !isFinalStatus(status) ||
        (error !== undefined && typeof error !== "string") ||
        (version !== undefined && !isPositive(version)) ||
        position?.kind !== "ended"
      ) {
        throw new DocumentEventFormatError(`malformed end event: ${data}`);
      }
      return { type: "end", offset: position.offset, status, error: error ?? null, version: version ?? null };
    }
    case "activity": {
      const { activity } = ((JSON.parse(data) as unknown) ?? {}) as { activity?: unknown };
      if (!(MODEL_ACTIVITIES as readonly unknown[]).includes(activity)) {
        throw new DocumentEventFormatError(`malformed activity event: ${data}`);
      }
      return { type: "activity", activity: activity as ModelActivity };
    }
    case "checks": {
      const typecheck = JSON.parse(data) as Partial<TypecheckResult> | null;
      if (typeof typecheck?.checkedLength !== "number" || (typecheck.status !== "checked" && typecheck.status !== "unavailable") || !Array.isArray(typecheck.blocks)) {
        throw new DocumentEventFormatError("malformed checks event");
      }
      return { type: "checks", typecheck: typecheck as TypecheckResult };
    }
    case "tokens": {
      const { inputTokens, outputTokens } = (JSON.parse(data) ?? {}) as Record<string, unknown>;
      if (!isCount(inputTokens) || !isCount(outputTokens)) malformed("tokens");
      return { type: "tokens", inputTokens, outputTokens };
    }
    case "outline":
      return { type: "outline", outline: decodeOutline(JSON.parse(data)) };
    case "section-text":
      return decodeSectionText(JSON.parse(data));
    case "section-state":
      return decodeSectionState(JSON.parse(data));
    case "repair": {
      const repair = JSON.parse(data) as Partial<RepairRecord> | null;
      if (!repair || !Array.isArray(repair.rounds) || (repair.status !== "running" && repair.status !== "finished" && repair.status !== "stopped")) {
        throw new DocumentEventFormatError("malformed repair event");
      }
      return { type: "repair", repair: repair as RepairRecord };
    }
    case "section": {
      const { number, round, from, delta } = (JSON.parse(data) ?? {}) as Partial<Record<"number" | "round" | "from" | "delta", unknown>>;
      if (!isPositive(number) || !isPositive(round) || !isCount(from) || typeof delta !== "string") {
        throw new DocumentEventFormatError("malformed section event");
      }
      return { type: "section", number, round, from, delta };
    }
    case PIECE_EVENT:
      throw new DocumentEventFormatError("a piece event is one part of a larger event: read the stream with createDocumentEventReader");
    case "version": {
      const { markdown, ...version } = (JSON.parse(data) ?? {}) as Partial<DocumentVersionSummary> & { markdown?: unknown };
      if (typeof markdown !== "string" || !isPositive(version.version) || typeof version.createdAt !== "string" || typeof version.reason !== "string") {
        throw new DocumentEventFormatError("malformed version event");
      }
      return { type: "version", version: { version: version.version, createdAt: version.createdAt, reason: version.reason, satisfied: version.satisfied ?? null }, markdown };
    }
    default:
      return null;
  }
}

/** One `piece` event: part `index` of `count` of the data of an event of `type`. */
interface Piece {
  type: string;
  index: number;
  count: number;
  json: string;
}

function decodePiece(data: string): Piece {
  const { type, index, count, json } = (JSON.parse(data) ?? {}) as Partial<Record<keyof Piece, unknown>>;
  if (typeof type !== "string" || type === PIECE_EVENT || !isCount(index) || !isCount(count) || index >= count || typeof json !== "string") malformed(PIECE_EVENT);
  return { type, index, count, json };
}

/** Reads one connection's events in order (see createDocumentEventReader). */
export type DocumentEventReader = (type: string | undefined, data: string, id: string | undefined) => DocumentEvent | null;

/**
 * A reader for the events of one connection, in the order they arrive: whole events as
 * decodeDocumentEvent reads them, and an event sent as `piece` events once its last piece arrives
 * (null for the others). The server writes an event's pieces together, in one write, so on one
 * connection nothing comes between them: anything else is a malformed stream (an error, like any
 * malformed event). Use a new reader for each connection: a connection cut inside an event's
 * pieces drops them, and the next attach replays that event.
 */
export function createDocumentEventReader(): DocumentEventReader {
  let held: (Piece & { next: number }) | null = null;
  return (type, data, id) => {
    if (type !== PIECE_EVENT) {
      if (held) throw new DocumentEventFormatError(`a ${String(type)} event between the pieces of a ${held.type} event`);
      return decodeDocumentEvent(type, data, id);
    }
    const piece = decodePiece(data);
    if (held ? piece.type !== held.type || piece.count !== held.count || piece.index !== held.next : piece.index !== 0) {
      throw new DocumentEventFormatError(`piece ${piece.index} of ${piece.count} of a ${piece.type} event does not continue what was read`);
    }
    held = held ? { ...held, json: held.json + piece.json, next: held.next + 1 } : { ...piece, next: 1 };
    if (held.next < held.count) return null;
    const whole = held;
    held = null;
    return decodeDocumentEvent(whole.type, whole.json, id);
  };
}
