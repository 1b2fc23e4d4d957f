/**
 * A reader that behaves like the browser's EventSource: it follows a document's event stream,
 * reconnects with Last-Event-ID when the connection drops (an instance died), and insists that
 * every text event continues exactly where the text it has ends — across reconnections too.
 */
import { OversizedEventError, readDocumentEvents } from "./sse";

export class StreamSeamError extends Error {}

export interface FollowedStream {
  text: string;
  status: string;
  reconnects: number;
  /** When each offset arrived (ms since the epoch), for timing a failover. */
  arrivals: { offset: number; at: number }[];
}

export async function followStream(url: string, options: { deadlineMs?: number; headers?: Record<string, string> } = {}): Promise<FollowedStream> {
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  let text = "";
  let status = "";
  let lastId: string | undefined;
  let reconnects = 0;
  const arrivals: FollowedStream["arrivals"] = [];
  while (!status) {
    if (Date.now() > deadline) throw new Error(`the stream did not end in time (${text.length} characters, ${reconnects} reconnects)`);
    try {
      const response = await fetch(url, { headers: { ...options.headers, ...(lastId ? { "Last-Event-ID": lastId } : {}) } });
      if (response.status === 204) break;
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      for await (const event of readDocumentEvents(response.body)) {
        if (event.type === "text") {
          if (event.offset !== text.length + event.delta.length) throw new StreamSeamError(`text event ending at ${event.offset} does not continue ${text.length} (+${event.delta.length})`);
          text += event.delta;
          lastId = String(event.offset);
          arrivals.push({ offset: event.offset, at: Date.now() });
        } else if (event.type === "end") {
          if (event.offset !== text.length) throw new StreamSeamError(`end at ${event.offset} after ${text.length} characters`);
          status = event.status;
        }
      }
    } catch (error) {
      if (error instanceof StreamSeamError || error instanceof OversizedEventError) throw error;
    }
    if (!status) {
      reconnects += 1;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { text, status, reconnects, arrivals };
}
