/**
 * Reads a parallel document's event stream as the live page does: the `text` channel and each
 * part's own `section-text` channel, checking as it goes that every channel continues exactly
 * (a replay on attach may repeat what a reader has; nothing may be skipped or changed), that a
 * part's `section-state` never claims more text than was sent, and that whenever a state event
 * arrives once every part is known (everything before it has been written) the `text` channel
 * holds nothing beyond the complete parts in order plus the first unfinished one.
 */
import { documentText, type Outline, type PartProgress, type PartState } from "@/lib/documents/section-parts";
import type { DocumentEvent, EndEvent } from "@/lib/events/document-events";
import { readDocumentEvents } from "./sse";

export interface ReadPart {
  section: number;
  part: number;
  parts: number;
  text: string;
  state: PartState | null;
  error: string | null;
  /** performance.now() of each state change. */
  states: { state: PartState; at: number }[];
}

export interface ParallelRead {
  text: string;
  parts: Map<string, ReadPart>;
  outline: Outline | null;
  tokens: { inputTokens: number; outputTokens: number } | null;
  end: EndEvent | null;
  events: DocumentEvent[];
  /** performance.now() when the first text of any channel arrived. */
  firstTextAt: number | null;
}

export const partKey = (section: number, part: number) => `${section}.${part}`;

/** The parts in document order, as PartProgress (for documentText). */
export function orderedParts(read: ParallelRead): PartProgress[] {
  return [...read.parts.values()]
    .sort((a, b) => a.section - b.section || a.part - b.part)
    .map((part) => ({ ...part, state: part.state ?? "queued", continuations: 0, inputTokens: 0, outputTokens: 0 }));
}

/** Every section (0 to 12) and every part of each has been heard of. */
function allPartsKnown(read: ParallelRead): boolean {
  for (let section = 0; section <= 12; section += 1) {
    const parts = [...read.parts.values()].filter((part) => part.section === section && part.state !== null);
    if (parts.length === 0 || parts.length !== parts[0]!.parts) return false;
  }
  return true;
}

export async function readParallelStream(
  body: ReadableStream<Uint8Array>,
  options: { startText?: string; onEvent?: (event: DocumentEvent, read: ParallelRead) => void; checkOrder?: boolean } = {},
): Promise<ParallelRead> {
  const read: ParallelRead = { text: options.startText ?? "", parts: new Map(), outline: null, tokens: null, end: null, events: [], firstTextAt: null };
  const partOf = (section: number, part: number, parts = 1) => {
    const key = partKey(section, part);
    let found = read.parts.get(key);
    if (!found) read.parts.set(key, (found = { section, part, parts, text: "", state: null, error: null, states: [] }));
    return found;
  };
  for await (const event of readDocumentEvents(body)) {
    read.events.push(event);
    switch (event.type) {
      case "text": {
        const start = event.offset - event.delta.length;
        if (event.offset <= read.text.length) break; // replayed: already have it
        if (start > read.text.length) throw new Error(`text gap: have ${read.text.length}, event starts at ${start}`);
        if (read.text.slice(start) !== event.delta.slice(0, read.text.length - start)) throw new Error("replayed text differs");
        read.text += event.delta.slice(read.text.length - start);
        read.firstTextAt ??= performance.now();
        break;
      }
      case "section-text": {
        const part = partOf(event.section, event.part);
        const start = event.offset - event.delta.length;
        if (start > part.text.length) throw new Error(`section ${event.section}.${event.part} gap: have ${part.text.length}, event starts at ${start}`);
        if (part.text.slice(start) !== event.delta.slice(0, part.text.length - start)) throw new Error(`section ${event.section}.${event.part}: replayed text differs`);
        if (event.offset > part.text.length) part.text += event.delta.slice(part.text.length - start);
        read.firstTextAt ??= performance.now();
        break;
      }
      case "section-state": {
        const part = partOf(event.section, event.part, event.parts);
        part.parts = event.parts;
        if (event.length > part.text.length) throw new Error(`section ${event.section}.${event.part} is ${event.state} at ${event.length} characters, only ${part.text.length} were sent`);
        if (part.state !== event.state) part.states.push({ state: event.state, at: performance.now() });
        part.state = event.state;
        part.error = event.error;
        // Once every part is known (on attach the text comes first, then the parts one by one).
        if (options.checkOrder !== false && read.end === null && allPartsKnown(read)) {
          const expected = documentText(orderedParts(read), false);
          if (read.text !== expected && !expected.startsWith(read.text)) {
            throw new Error(`the text channel (${read.text.length}) is not the parts in order (${expected.length})`);
          }
        }
        break;
      }
      case "outline":
        read.outline = event.outline;
        break;
      case "tokens":
        read.tokens = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
        break;
      case "end":
        read.end = event;
        break;
    }
    options.onEvent?.(event, read);
  }
  return read;
}
