import { createParser } from "eventsource-parser";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DocumentEventSink } from "@/lib/events/document-event-sink";
import { decodeDocumentEvent, encodeDocumentEvent, MAX_EVENT_DATA_BYTES, type DocumentEvent } from "@/lib/events/document-events";
import { createEventStream } from "@/lib/http/event-stream";
import { readWireEvents } from "../support/sse";

/** Documents over 16 KB with characters outside the BMP: mixed lines, and a pair across every 4 KB cut. */
const EMOJI_DOCUMENTS = {
  lines: Array.from({ length: 3_000 }, (_, index) => `line ${index} 🦀${"x".repeat(index % 5)}👩‍💻\n`).join(""),
  "pairs across every cut": `a${"🦀".repeat(20_000)}`,
};

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function openWith(run: (sink: DocumentEventSink) => void, signal = new AbortController().signal) {
  return createEventStream((sink) => {
    run(sink);
    return () => {};
  }, signal);
}

/** Reads `stream` as it comes, recording each event as `type@id:data`; `pump` settles when the stream ends. */
function collectEvents(stream: ReadableStream<Uint8Array>) {
  const wire: string[] = [];
  const parser = createParser({ onEvent: (message) => wire.push(`${message.event}@${message.id}:${message.data}`) });
  const reader = stream.getReader();
  const pump = (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  })();
  return { wire, pump };
}

/** A stream on the fake clock, driven by the test through its sink, its events collected as written. */
function openLive() {
  vi.useFakeTimers();
  let sink!: DocumentEventSink;
  const stream = openWith((given) => (sink = given));
  return { sink, ...collectEvents(stream) };
}

afterEach(async () => {
  // A flush timer left pending on the fake clock would never fire, and the shared scheduler would wait on it forever.
  if (vi.isFakeTimers()) await vi.runOnlyPendingTimersAsync();
  vi.useRealTimers();
  // The flush timer is shared by every stream of the process: let it run out before the next test fakes time.
  await new Promise((resolve) => setTimeout(resolve, 40));
});

describe("the event-stream transport", () => {
  it("starts with a reconnect delay and a comment, before any event", async () => {
    const wire = await readAll(openWith((sink) => sink.close()));
    expect(wire).toMatch(/^retry: \d+\n: connected\n\n$/);
  });

  it.each(Object.entries(EMOJI_DOCUMENTS))("replays a long text (%s) in events of at most 4 KB that never split a surrogate pair", async (_name, EMOJI_DOCUMENT) => {
    expect(EMOJI_DOCUMENT.length).toBeGreaterThan(16_384 * 2);
    const stream = openWith((sink) => {
      sink.text(EMOJI_DOCUMENT, EMOJI_DOCUMENT.length);
      sink.send({ type: "end", offset: EMOJI_DOCUMENT.length, status: "complete", error: null, version: 1 });
      sink.close();
    });
    let text = "";
    const sizes: number[] = [];
    for await (const message of readWireEvents(stream)) {
      const event = decodeDocumentEvent(message.event, message.data, message.id);
      if (event?.type !== "text") continue;
      sizes.push(Buffer.byteLength(message.data));
      expect(event.delta.isWellFormed()).toBe(true);
      expect(event.offset).toBe(text.length + event.delta.length);
      text += event.delta;
    }
    expect(text).toBe(EMOJI_DOCUMENT);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
    // Full pieces: each but the last is cut only because its next character (at most 4 bytes here) would not fit.
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThan(MAX_EVENT_DATA_BYTES - 4);
  });

  it("merges live deltas, and holds back a trailing high surrogate until its pair arrives", async () => {
    const { sink, wire, pump } = openLive();
    sink.text("ab", 2);
    sink.text("c\ud83e", 4); // the model cut "🦀" in the middle
    await vi.advanceTimersByTimeAsync(30);
    expect(wire).toEqual(['text@3:"abc"']);
    // An activity change goes out at once, but the half pair still waits for its other half.
    sink.send({ type: "activity", activity: "thinking" });
    await vi.advanceTimersByTimeAsync(0);
    expect(wire).toEqual(['text@3:"abc"', 'activity@undefined:{"activity":"thinking"}']);
    sink.text("\udd80!", 6);
    await vi.advanceTimersByTimeAsync(30);
    expect(wire).toEqual(['text@3:"abc"', 'activity@undefined:{"activity":"thinking"}', 'text@6:"🦀!"']);
    sink.send({ type: "end", offset: 6, status: "complete", error: null, version: 1 });
    sink.close();
    await pump;
    expect(wire.at(-1)).toBe('end@6-end:{"status":"complete","version":1}');
  });

  it("drops a reader that stops reading instead of buffering for it without limit", async () => {
    let sink!: DocumentEventSink;
    const stream = openWith((given) => (sink = given));
    const reader = stream.getReader();
    await reader.read(); // the opening comment; then the reader stops reading
    const chunk = "x".repeat(MAX_EVENT_DATA_BYTES);
    let offset = 0;
    let written = 0;
    while (!sink.closed && written < 64 * 1024 * 1024) {
      offset += chunk.length;
      sink.send({ type: "end", offset, status: "complete", error: null, version: 1 }); // any event: sent at once
      written += chunk.length;
      sink.text(chunk, offset);
    }
    expect(sink.closed).toBe(true);
    expect(written).toBeLessThan(8 * 1024 * 1024);
    await expect(reader.read()).rejects.toThrow(/stopped reading/);
  });

  it("drops a reader only once more than 4 MiB beyond the 64 KiB high-water mark is unread", async () => {
    let sink!: DocumentEventSink;
    const stream = openWith((given) => (sink = given));
    const reader = stream.getReader();
    await reader.read(); // the opening comment; nothing is unread now
    const limit = 64 * 1024 + 4 * 1024 * 1024;
    const bytes = (event: DocumentEvent) => Buffer.byteLength(encodeDocumentEvent(event));
    type SentEvent = Exclude<DocumentEvent, { type: "text" }>;
    const failedWith = (error: string): SentEvent => ({ type: "end", offset: 0, status: "failed", error, version: null });
    /** An event of exactly `size` bytes (under 4 KB, so it is one event). */
    const eventOf = (size: number) => failedWith("x".repeat(size - (bytes(failedWith("x")) - 1)));
    const thinking: SentEvent = { type: "activity", activity: "thinking" };
    let unread = 0;
    while (limit - unread > 2_000) {
      sink.send(thinking);
      unread += bytes(thinking);
    }
    sink.send(eventOf(limit - unread));
    expect(sink.closed).toBe(false); // exactly at the bound
    sink.send(thinking);
    expect(sink.closed).toBe(true);
    await expect(reader.read()).rejects.toThrow(/stopped reading/);
  });

  it("sends a keep-alive comment while nothing happens, and stops when the request is aborted", async () => {
    vi.useFakeTimers();
    const request = new AbortController();
    const stream = openWith(() => {}, request.signal);
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toContain(": connected");
    await vi.advanceTimersByTimeAsync(14_900);
    let pending = reader.read();
    await vi.advanceTimersByTimeAsync(200);
    expect(decoder.decode((await pending).value)).toBe(": keepalive\n\n");
    request.abort();
    pending = reader.read();
    expect((await pending).done).toBe(true);
  });

  it("a delta that does not continue the pending text (a replay after a gap) goes out after what is pending, in order", async () => {
    const { sink, wire, pump } = openLive();
    sink.text("ab", 2);
    sink.text("xyz", 10);
    await vi.advanceTimersByTimeAsync(0);
    expect(wire).toEqual(['text@2:"ab"']);
    await vi.advanceTimersByTimeAsync(30);
    expect(wire).toEqual(['text@2:"ab"', 'text@10:"xyz"']);
    sink.close();
    await pump;
  });

  it("a reader that cancels stops the source and the keep-alive, and nothing more is written", async () => {
    vi.useFakeTimers();
    const stop = vi.fn();
    let sink!: DocumentEventSink;
    const stream = createEventStream((given) => {
      sink = given;
      return stop;
    }, new AbortController().signal);
    const reader = stream.getReader();
    await reader.read();
    expect(stop).not.toHaveBeenCalled();
    await reader.cancel();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(sink.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    sink.text("late", 4);
    sink.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it("a source that ends the stream while starting is stopped at once", async () => {
    const stop = vi.fn();
    const stream = createEventStream((sink) => {
      sink.send({ type: "end", offset: 0, status: "failed", error: "gone", version: null });
      sink.close();
      return stop;
    }, new AbortController().signal);
    expect(await readAll(stream)).toContain("event: end");
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it("holds back exactly the high surrogates (U+D800–U+DBFF) at the end of live text", async () => {
    const { sink, wire, pump } = openLive();
    sink.text("a\ud800", 2);
    await vi.advanceTimersByTimeAsync(30);
    sink.text("\udc00b\udbff", 5);
    await vi.advanceTimersByTimeAsync(30);
    sink.text("\udfffc\ud7ff", 8);
    await vi.advanceTimersByTimeAsync(30);
    expect(wire).toEqual(['text@1:"a"', 'text@4:"𐀀b"', 'text@8:"\udbff\udfffc\ud7ff"']);
    sink.close();
    await pump;
  });

  it("writes a trailing half pair rather than lose it when the stream ends or a replay follows", async () => {
    const { sink, wire, pump } = openLive();
    sink.text("a\ud83e", 2);
    sink.text("xyz", 10); // not a continuation: what is pending goes out whole first
    sink.text("\ud83e", 11);
    sink.send({ type: "end", offset: 11, status: "failed", error: "cut", version: null });
    sink.text("b\ud83e", 13);
    sink.close();
    await pump;
    // JSON writes a lone surrogate as an escape.
    expect(wire).toEqual([String.raw`text@2:"a\ud83e"`, String.raw`text@11:"xyz\ud83e"`, 'end@11-end:{"status":"failed","error":"cut"}', String.raw`text@13:"b\ud83e"`]);
  });

  it("merges each part's section text on a channel of its own, and leaves other channels to the timer", async () => {
    const { sink, wire, pump } = openLive();
    sink.text("ab", 2);
    sink.send({ type: "section-text", section: 3, part: 1, delta: "## 3.", offset: 5 });
    sink.send({ type: "section-text", section: 4, part: 2, delta: "x", offset: 1 });
    sink.send({ type: "section-text", section: 3, part: 1, delta: " 限流 🚦", offset: 11 });
    await vi.advanceTimersByTimeAsync(0);
    expect(wire).toEqual([]);
    await vi.advanceTimersByTimeAsync(30);
    expect(wire.map((line) => decodeDocumentEvent(line.slice(0, line.indexOf("@")), line.slice(line.indexOf(":") + 1), line.slice(line.indexOf("@") + 1, line.indexOf(":"))))).toEqual([
      { type: "text", delta: "ab", offset: 2 },
      { type: "section-text", section: 3, part: 1, delta: "## 3. 限流 🚦", offset: 11 },
      { type: "section-text", section: 4, part: 2, delta: "x", offset: 1 },
    ]);
    sink.close();
    await pump;
  });

  it("leaves no listener on the request's signal once the stream has ended", async () => {
    const request = new AbortController();
    const added = vi.spyOn(request.signal, "addEventListener");
    const removed = vi.spyOn(request.signal, "removeEventListener");
    await readAll(openWith((sink) => sink.close(), request.signal));
    expect(added).toHaveBeenCalledWith("abort", expect.any(Function), { once: true });
    expect(removed.mock.calls).toEqual(added.mock.calls.map(([type, listener]) => [type, listener]));
  });

  it("a request gone before the stream starts ends it at once, without subscribing to the source", async () => {
    const source = vi.fn(() => () => {});
    const wire = await readAll(createEventStream(source, AbortSignal.abort()));
    expect(wire).toMatch(/^retry: \d+\n: connected\n\n$/);
    expect(source).not.toHaveBeenCalled();
  });
});
