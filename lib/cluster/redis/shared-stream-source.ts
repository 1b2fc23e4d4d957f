import "server-only";
import type { DocumentEvent } from "@/lib/events/document-events";
import { isRunningStatus, type FinalStatus } from "@/lib/documents/types";
import type { DocumentEventSink, DocumentEventSource } from "@/lib/events/document-event-sink";
import { storedDocumentSource, type StoredSourceAccess } from "@/lib/documents/stored-document-source";
import { compareEntryIds, type EventLog, type LogEntry } from "./event-log";
import type { StreamFollower } from "./stream-follower";

/** With no entry for this long, the stored document is checked (its owner may have died after storing the end). */
const QUIET_CHECK_MS = 3_000;

/**
 * The events of a generation running on any instance, read from its shared log: the text from
 * `from`, every other event (replayed from the start of the log on attach: the current state of
 * checks and of whatever the pipeline reports), then live entries until `end`. Every instance
 * serves the same entries, so offsets and bytes are the same wherever a reader attaches.
 */
export function sharedStreamSource(
  log: EventLog,
  follower: StreamFollower,
  id: string,
  from: number,
  access: StoredSourceAccess,
): DocumentEventSource {
  const { reload } = access;
  return (sink: DocumentEventSink) => {
    let position = from;
    let lastId = "0-0";
    let replayed = false;
    let lastActivity = Date.now();
    const early: LogEntry[] = [];
    let stopFollowing = () => {};
    let stopFallback = () => {};
    let stopped = false;

    const apply = (entry: LogEntry) => {
      if (sink.closed || compareEntryIds(entry.id, lastId) <= 0) return;
      lastId = entry.id;
      lastActivity = Date.now();
      if (entry.type === "text") {
        const delta = JSON.parse(entry.data) as string;
        if (entry.offset > position) {
          const start = entry.offset - delta.length;
          sink.text(delta.slice(Math.max(0, position - start)), entry.offset);
          position = entry.offset;
        }
      } else if (entry.type === "end") {
        // The job's end: its final status and the document's latest version (the offset is the log's text length).
        const { status, error, version } = JSON.parse(entry.data) as { status: FinalStatus; error?: string | null; version?: number | null };
        sink.send({ type: "end", offset: entry.offset, status, error: error ?? null, version: version ?? null });
        sink.close();
      } else {
        // Any other job event, whatever its type: the transport encodes it, clients ignore types they do not know.
        sink.send(JSON.parse(entry.data) as Exclude<DocumentEvent, { type: "text" }>);
      }
    };

    // The owner died after storing its final state but before the log heard `end`: finish from the store.
    const quietCheck = setInterval(async () => {
      if (sink.closed || Date.now() - lastActivity < QUIET_CHECK_MS) return;
      lastActivity = Date.now();
      const current = await reload().catch(() => undefined);
      if (sink.closed || stopped || current === undefined) return;
      if (current === null) return sink.close();
      if (isRunningStatus(current.status)) return;
      const meta = await log.meta(id).catch(() => null);
      if (meta?.ended || sink.closed || stopped) return; // the end is in the log: the follower delivers it
      clearInterval(quietCheck);
      stopFollowing();
      stopFallback = storedDocumentSource(current, position, access)(sink);
    }, 1_000);

    void (async () => {
      // Follow first, then read the history: together they cover every entry (duplicates are skipped by id).
      const stop = await follower.add(log.streamKey(id), (entries) => {
        if (replayed) entries.forEach(apply);
        else early.push(...entries);
      });
      if (stopped) return stop();
      stopFollowing = stop;
      for (const entry of await log.entries(id)) apply(entry);
      replayed = true;
      early.splice(0).forEach(apply);
    })().catch((error: unknown) => {
      console.error(`following the shared log of ${id} failed`, error instanceof Error ? error.message : error);
      sink.close();
    });

    return () => {
      stopped = true;
      clearInterval(quietCheck);
      stopFollowing();
      stopFallback();
    };
  };
}
