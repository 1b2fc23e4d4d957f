/**
 * Spec-compliant event-stream clients get the exact text of a document every time, through a proxy
 * that cuts their connections at random byte positions (mid-event, mid-line, mid-character): the
 * `eventsource` package (4.x, Node's EventSource) and `eventsource-parser` (3.x) driven by a
 * reconnect loop, on a finished document (replay) and a live one. Chromium's EventSource runs the
 * same check in e2e/sse-clients.spec.ts.
 */
import { EventSource } from "eventsource";
import { createParser } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeDocumentEvent, type EndEvent } from "@/lib/events/document-events";
import { type CuttingProxy, seededRandom, startCuttingProxy } from "../support/cutting-proxy";
import { EMOJI_DOCUMENT } from "../support/emoji-document";
import { serveRoutes } from "../support/route-server";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness();
let server: Awaited<ReturnType<typeof serveRoutes>>;
let proxy: CuttingProxy;

beforeAll(async () => {
  const stream = await import("@/app/api/documents/[id]/stream/route");
  server = await serveRoutes([{ pattern: /^\/api\/documents\/([^/]+)\/stream$/, params: ["id"], handler: stream.GET as never }]);
  const random = seededRandom(12);
  // Budgets from just past the response headers to a few replay events (a 4 KB-character event of
  // this text is 5–8 KB of UTF-8): every cut lands somewhere in the stream, and some let events through.
  proxy = await startCuttingProxy({ target: { host: "127.0.0.1", port: server.port }, budget: () => 300 + Math.floor(random() * 16_000), retryMs: 10 });
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

interface Read {
  text: string;
  end: EndEvent | null;
  /** Text events whose offset did not continue the text exactly. */
  misplaced: number;
}

/** Appends a text event, counting any that does not continue the text (a gap or a repeat). */
function append(read: Read, data: string, id: string | undefined) {
  const event = decodeDocumentEvent("text", data, id);
  if (event?.type !== "text") return;
  if (event.offset !== read.text.length + event.delta.length) read.misplaced += 1;
  read.text += event.delta;
}

function readWithEventSource(url: string): Promise<Read> {
  return new Promise((resolve, reject) => {
    const read: Read = { text: "", end: null, misplaced: 0 };
    const source = new EventSource(url);
    const timer = setTimeout(() => {
      source.close();
      reject(new Error(`eventsource: no end after 60 s (${read.text.length} characters)`));
    }, 60_000);
    source.addEventListener("text", (message) => append(read, message.data, message.lastEventId));
    source.addEventListener("end", (message) => {
      read.end = decodeDocumentEvent("end", message.data, message.lastEventId) as EndEvent;
      source.close();
      clearTimeout(timer);
      resolve(read);
    });
  });
}

/** The reconnect loop an event-stream client runs, around eventsource-parser: Last-Event-ID is the id of the last dispatched event. */
async function readWithParser(url: string): Promise<Read> {
  const read: Read = { text: "", end: null, misplaced: 0 };
  let lastEventId: string | undefined;
  let retryMs = 2_000;
  const deadline = Date.now() + 60_000;
  while (!read.end && Date.now() < deadline) {
    try {
      const response = await fetch(url, { headers: lastEventId ? { "Last-Event-ID": lastEventId } : {} });
      if (response.status === 204) break;
      const parser = createParser({
        onEvent(message) {
          if (message.id !== undefined) lastEventId = message.id;
          if (message.event === "text") append(read, message.data, message.id);
          if (message.event === "end") read.end = decodeDocumentEvent("end", message.data, message.id) as EndEvent;
        },
        onRetry: (ms) => (retryMs = ms),
      });
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(decoder.decode(chunk.value, { stream: true }));
    } catch {
      // a cut connection: reconnect after the retry delay
    }
    if (!read.end) await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
  return read;
}

const CLIENTS = { eventsource: readWithEventSource, "eventsource-parser": readWithParser };

describe.each(Object.entries(CLIENTS))("%s through a proxy that cuts connections", (_name, readDocument) => {
  it("reads a finished document of over 16 KB with emoji exactly, every time", async () => {
    expect(EMOJI_DOCUMENT.length).toBeGreaterThan(16_384);
    h.fake.setScenario({ document: EMOJI_DOCUMENT, chunkSize: 500, delayMs: 0 });
    const { id } = await h.createOk("Emoji Replay 🦀");
    await h.waitUntilFinished(id);
    const cutsBefore = proxy.cuts;
    // Read it again and again until the proxy has cut 100 connections.
    for (let round = 0; round < 3 || proxy.cuts - cutsBefore < 100; round++) {
      expect(round).toBeLessThan(40);
      const read = await readDocument(`${proxy.url}/api/documents/${id}/stream`);
      expect(read.misplaced).toBe(0);
      expect(read.text).toBe(EMOJI_DOCUMENT);
      expect(read.end).toEqual({ type: "end", offset: EMOJI_DOCUMENT.length, status: "complete", error: null, version: 1 });
    }
  });

  it("follows a live document exactly while its connections are cut", async () => {
    h.fake.setScenario({ document: EMOJI_DOCUMENT, chunkSize: 37, delayMs: 3 }); // odd chunks: the model splits pairs too
    const { id } = await h.createOk("Emoji Live 🦀");
    const cutsBefore = proxy.cuts;
    const read = await readDocument(`${proxy.url}/api/documents/${id}/stream`);
    expect(read.misplaced).toBe(0);
    expect(read.text).toBe(EMOJI_DOCUMENT);
    expect(read.end?.status).toBe("complete");
    expect(proxy.cuts - cutsBefore).toBeGreaterThanOrEqual(5);
  });
});
