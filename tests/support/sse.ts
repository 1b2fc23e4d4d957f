/** A minimal server-sent-events reader for tests and benchmarks (what curl users see). */
export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let event = "message";
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (data.length || event !== "message") events.push({ event, id, data: data.join("\n") });
  }
  return { events, rest };
}

export interface ConsumedStream {
  text: string;
  events: SseEvent[];
  end: { status: string; error?: string } | null;
}

/** Reads a whole event stream, checking that every text event's offset continues the previous one. */
export async function consumeDocumentStream(body: ReadableStream<Uint8Array>, startOffset = 0): Promise<ConsumedStream> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  let text = "";
  const all: SseEvent[] = [];
  let end: ConsumedStream["end"] = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const { events, rest } = parseSse(buffer);
    buffer = rest;
    for (const event of events) {
      all.push(event);
      if (event.event === "text") {
        const delta = JSON.parse(event.data) as string;
        const offset = Number(event.id);
        if (offset !== startOffset + text.length + delta.length) {
          throw new Error(`offset ${offset} does not continue ${startOffset + text.length} + ${delta.length}`);
        }
        text += delta;
      } else if (event.event === "end") {
        end = JSON.parse(event.data) as ConsumedStream["end"];
      }
    }
  }
  return { text, events: all, end };
}
