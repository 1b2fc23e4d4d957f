import { parseEventId, type ResumePosition } from "@/lib/events/document-events";
import { HttpError } from "./http-error";

/**
 * Where a reader resumes: `Last-Event-ID` (sent by EventSource on reconnect) wins over `?from=`.
 * Offsets are UTF-16 code units, i.e. JavaScript string length. Anything else is a 400, never a
 * silent replay from the start.
 */
export function resumePosition(request: Request): ResumePosition {
  const header = request.headers.get("last-event-id");
  if (header !== null && header.trim() !== "") {
    const position = parseEventId(header);
    if (!position) throw new HttpError(400, "invalid_last_event_id", "Last-Event-ID must be an event id this stream sent: <offset> or <offset>-end.");
    return position;
  }
  const from = new URL(request.url).searchParams.get("from");
  if (from === null) return { kind: "offset", offset: 0 };
  const position = parseEventId(from);
  if (position?.kind !== "offset") throw new HttpError(400, "invalid_from", "from must be a non-negative whole number: the text offset to resume after.");
  return position;
}
