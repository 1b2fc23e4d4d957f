/** Server-sent events of the document stream: `text` events carry a delta and the offset it ends at. */
export function textEvent(delta: string, offset: number): string {
  return `event: text\nid: ${offset}\ndata: ${JSON.stringify(delta)}\n\n`;
}

export function endEvent(status: string, error: string | null): string {
  return `event: end\ndata: ${JSON.stringify(error ? { status, error } : { status })}\n\n`;
}

export const KEEPALIVE = ": keepalive\n\n";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // Tell nginx-style proxies not to buffer the stream.
  "X-Accel-Buffering": "no",
} as const;

/**
 * Where a reader resumes: `Last-Event-ID` (sent by EventSource on reconnect) wins over `?from=`.
 * Offsets are UTF-16 code units, i.e. JavaScript string length.
 */
export function resumeOffset(request: Request): number {
  const header = request.headers.get("last-event-id");
  const query = new URL(request.url).searchParams.get("from");
  for (const candidate of [header, query]) {
    if (candidate !== null && /^\d{1,12}$/.test(candidate.trim())) return Number(candidate.trim());
  }
  return 0;
}
