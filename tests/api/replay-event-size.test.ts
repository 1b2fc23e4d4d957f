/**
 * A repaired document's replay through the real stream route (GET /api/documents/{id}/stream,
 * real database): every event is at most MAX_EVENT_DATA_BYTES — the text, the repair's record
 * (over 16 KB), each version's text (over 16 KB), the type check, a replacement in flight — and
 * the browser's follower (components/document/document-stream-follower.ts) ends with what the
 * store holds, and with exactly the events the stored source handed the transport, which were
 * each one event on the wire before they were cut to size.
 */
import { createParser } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { EVENT_SOURCE_CLOSED, followDocumentStream, type EventSourceLike } from "@/components/document/document-stream-follower";
import { storedDocumentSource } from "@/lib/documents/stored-document-source";
import type { DesignDocument } from "@/lib/documents/types";
import { createDocumentEventReader, MAX_EVENT_DATA_BYTES, PIECE_EVENT, type DocumentEvent, type EndEvent, type VersionEvent } from "@/lib/events/document-events";
import type { RepairRecord } from "@/lib/repair/record";
import { analyzeSections } from "@/lib/sections/analyzer";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { EMOJI_DOCUMENT, emojiLibraryDocument } from "../support/emoji-document";
import { largeRepairRecord, largeTypecheck } from "../support/large-side-state";
import { readDocumentEvents, readWireEvents } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness();

/** Three versions over 16 KB each, full of emoji: the first pass, and two repair rounds. */
const V1 = EMOJI_DOCUMENT;
const V2 = EMOJI_DOCUMENT.replace("(0)", "(0) 🩹 repaired in round 1");
const V3 = emojiLibraryDocument();
/** A replacement being written when the replay starts: over 16 KB, emoji at every 4 KB seam. */
const DRAFT = `## 4. Correct Design 🔧\n\n${"🦀x".repeat(9_000)}`;

let counter = 0;
/** A document written through the store as the pipeline writes it: first pass, repair start, accepted rounds, then (unless `repairing`) its final state. */
async function repairedDocument(repairing = false): Promise<string> {
  const { store } = h.studio;
  const created = await store.create({
    id: `replay-size-${++counter}-${Date.now().toString(36)}`,
    topic: "Replay size 🦀",
    topicKey: "replay size 🦀",
    model: "fake-model",
    promptStyle: "contract",
    promptVersion: "v",
    clientKey: null,
    editTokenHash: null,
    ownerScope: null,
  });
  const ref = { id: created.id, fence: created.fence };
  const record = largeRepairRecord(repairing ? "running" : "finished");
  const version = (number: number, markdown: string, reason: string) => ({ version: number, createdAt: `2026-11-30T10:0${number}:00.000Z`, reason, satisfied: 12, markdown });
  expect(await store.saveVersion(ref, version(1, V1, "First pass"))).toBe(true);
  const start = { markdown: V1, report: analyzeSections(V1, { final: true }), version: 1, passVersion: 1, continuations: 0, drafts: [] };
  expect(await store.beginRepair(ref, { ...start, repair: largeRepairRecord("running") })).toBe(true);
  expect(await store.acceptVersion(ref, version(2, V2, "Repair round 1: sections 1, 4 🦀"), analyzeSections(V2, { final: true }), record)).toBe(true);
  if (repairing) {
    expect(await store.checkpointRepair(ref, record, [{ number: 4, round: 2, text: DRAFT }])).toBe(true);
    return created.id;
  }
  expect(await store.acceptVersion(ref, version(3, V3, "Repair round 2: sections 2, 4"), analyzeSections(V3, { final: true }), record)).toBe(true);
  const report = { ...analyzeSections(V3, { final: true }), typecheck: largeTypecheck(V3.length) };
  expect(await store.finish(ref, { status: "complete", markdown: V3, error: null, report, continuations: 0, version: 3, repair: record, repairDrafts: [] })).toBe(true);
  return created.id;
}

/** The browser's EventSource over the real route: events parsed by a spec-compliant parser and dispatched by type. */
class RouteEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  private readonly abort = new AbortController();

  constructor(id: string, query: string) {
    void this.run(id, query);
  }

  private async run(id: string, query: string) {
    const response = await h.stream(id, query, {}, this.abort.signal);
    this.readyState = 1;
    this.onopen?.(new Event("open"));
    let lastEventId = "";
    const parser = createParser({
      onEvent: (message) => {
        if (message.id !== undefined) lastEventId = message.id;
        const type = message.event ?? "message";
        for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data: message.data, lastEventId }));
      },
    });
    try {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.readyState === EVENT_SOURCE_CLOSED) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // closed by the follower
    }
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.readyState = EVENT_SOURCE_CLOSED;
    this.abort.abort();
  }
}

interface Followed {
  text: string;
  repair: RepairRecord | null;
  version: VersionEvent | null;
  typecheck: TypecheckResult | null;
  drafts: Map<number, { round: number; text: string }>;
  end: EndEvent | null;
}

/** What the page's follower ends with after reading the document's stream from the start (until `end`, or until `done` says so). */
function follow(id: string, done: (state: Followed) => boolean = (state) => state.end !== null): Promise<Followed> {
  const state: Followed = { text: "", repair: null, version: null, typecheck: null, drafts: new Map(), end: null };
  let connections = 0;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done(state)) return;
      follower.stop();
      resolve(state);
    };
    const follower = followDocumentStream({
      url: (from) => `?from=${from}`,
      received: 0,
      createSource: (url) => {
        // One connection reads a replay: attaching again means a gap or a malformed event.
        if (++connections > 1) {
          follower.stop();
          reject(new Error(`the follower attached again (${url}) after ${state.text.length} characters`));
        }
        return new RouteEventSource(id, url);
      },
      onText: (delta) => (state.text += delta),
      onEnd: (end) => ((state.end = end), check()),
      onChecks: (typecheck) => ((state.typecheck = typecheck), check()),
      onRepair: (repair) => ((state.repair = repair), check()),
      onRepairText: (number, round, text) => (state.drafts.set(number, { round, text }), check()),
      onVersion: (event) => ((state.version = event), check()),
      onConnection: () => {},
      settleFromServer: async () => true,
    });
  });
}

/** The events the stored source hands the transport, each of which was one event on the wire before. */
async function sourceEvents(id: string, until: (events: DocumentEvent[]) => boolean): Promise<DocumentEvent[]> {
  const { store } = h.studio;
  const document = (await store.get(id)) as DesignDocument;
  const events: DocumentEvent[] = [];
  let closed = false;
  const stop = storedDocumentSource(document, 0, { reload: () => store.get(id), version: (version) => store.getVersion(id, version) })({
    text: (delta, offset) => events.push({ type: "text", delta, offset }),
    send: (event) => events.push(event),
    close: () => (closed = true),
    get closed() {
      return closed;
    },
  });
  await expect.poll(() => until(events), { timeout: 5_000 }).toBe(true);
  stop();
  return events;
}

/** Every event of the route's stream as it is on the wire (type and size), until `done` says of an event read back whole. */
async function wire(id: string, done: (event: DocumentEvent) => boolean = (event) => event.type === "end") {
  const abort = new AbortController();
  const read = createDocumentEventReader();
  const messages: { event: string; bytes: number }[] = [];
  for await (const message of readWireEvents((await h.stream(id, "", {}, abort.signal)).body!)) {
    messages.push({ event: message.event ?? "message", bytes: Buffer.byteLength(message.data, "utf8") });
    const event = read(message.event, message.data, message.id);
    if (event && done(event)) break;
  }
  abort.abort();
  return messages;
}

describe("replaying a repaired document whose state beside the text is large", () => {
  it("sends every event within MAX_EVENT_DATA_BYTES, and the page's follower ends with what the store holds", async () => {
    const id = await repairedDocument();
    const stored = (await h.studio.store.get(id))!;
    expect(Buffer.byteLength(JSON.stringify(stored.repair))).toBeGreaterThan(16_384);
    expect(Buffer.byteLength(JSON.stringify(stored.report?.typecheck))).toBeGreaterThan(16_384);

    const messages = await wire(id);
    expect(Math.max(...messages.map((message) => message.bytes))).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
    // What was cut: the text into several text events, the version, the repair and the check into pieces.
    expect(messages.filter((message) => message.event === "text").length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(V1) / MAX_EVENT_DATA_BYTES));
    expect(messages.filter((message) => message.event === PIECE_EVENT).length).toBeGreaterThanOrEqual(12);
    expect(messages.at(-1)?.event).toBe("end");

    const followed = await follow(id);
    // The reference, from the store: the text channel is the first pass, the rest is the latest state.
    const [latest] = (await h.studio.store.listVersions(id)).slice(-1);
    expect(followed.text).toBe((await h.studio.store.getVersion(id, stored.passVersion))?.markdown);
    expect(followed.text).toBe(V1);
    expect(followed.version).toEqual({ type: "version", version: latest, markdown: stored.markdown });
    expect(followed.version?.markdown).toBe(V3);
    expect(followed.repair).toEqual(stored.repair);
    expect(followed.typecheck).toEqual(stored.report?.typecheck);
    expect(followed.end).toEqual({ type: "end", offset: V1.length, status: "complete", error: null, version: 3 });

    // Exactly what the stored source handed the transport: every event it sent, whole, in order (text joined).
    const sent = await sourceEvents(id, (events) => events.at(-1)?.type === "end");
    const received = await consumeEvents(id);
    expect(received).toEqual(sent);
  });

  it("sends a replacement being written in events within the bound, and the follower holds all of it", async () => {
    const id = await repairedDocument(true);
    const stored = (await h.studio.store.get(id))!;
    expect(stored.status).toBe("repairing");
    // Without an end (it is being repaired): the replay, up to the replacement's last piece.
    const messages = await wire(id, (event) => event.type === "section" && event.from + event.delta.length === DRAFT.length);
    expect(Math.max(...messages.map((message) => message.bytes))).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
    expect(messages.filter((message) => message.event === "section").length).toBeGreaterThan(4);

    const followed = await follow(id, (state) => state.drafts.get(4)?.text.length === DRAFT.length && state.repair !== null && state.version !== null);
    expect(followed.drafts.get(4)).toEqual({ round: 2, text: DRAFT });
    expect(followed.repair).toEqual(stored.repair);
    expect(followed.version).toEqual({ type: "version", version: (await h.studio.store.listVersions(id)).at(-1), markdown: stored.markdown });
    expect(followed.text).toBe(V1);
  });
});

/** The route's events read back whole (pieces joined), consecutive text deltas joined as the source gave them. */
async function consumeEvents(id: string): Promise<DocumentEvent[]> {
  const events: DocumentEvent[] = [];
  for await (const event of readDocumentEvents((await h.stream(id)).body!)) {
    const last = events.at(-1);
    if (event.type === "text" && last?.type === "text" && last.offset === event.offset - event.delta.length) events[events.length - 1] = { ...event, delta: last.delta + event.delta };
    else events.push(event);
  }
  return events;
}
