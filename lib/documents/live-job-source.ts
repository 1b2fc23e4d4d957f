import "server-only";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { ActivityEvent, StateEvent } from "@/lib/events/document-events";
import type { GenerationJob } from "@/lib/generation/job";
import { redactRepairRecord } from "@/lib/repair/record";

/**
 * The events of a job running in this process: its text from `from`, what the model is doing and
 * the state beside the text (type check, tokens, parallel parts, latest version, repair, the
 * replacements being written; replayed on attach), then every change until it ends. A reader
 * ahead of the text (a `from` beyond it) waits until the text gets there.
 * Messages are redacted like every message shown (they are stored redacted too): the end's
 * error, the repair's reasons and a parallel part's error (a failed request's reason quotes the provider).
 */
export function liveJobSource(job: GenerationJob, from: number, redact: (text: string) => string): DocumentEventSource {
  // A failed request's reason quotes the provider (a repair's, a parallel part's): redacted like the stored one.
  const shown = (event: StateEvent | ActivityEvent): StateEvent | ActivityEvent => {
    if (event.type === "repair") return { type: "repair", repair: redactRepairRecord(event.repair, redact) };
    if (event.type === "section-state" && event.error !== null) return { ...event, error: redact(event.error) };
    return event;
  };
  return (sink) => {
    // Snapshot and subscribe in one synchronous turn: no delta can fall in between.
    const text = job.text;
    let position = from;
    if (position < text.length) {
      sink.text(text.slice(position), text.length);
      position = text.length;
    }
    if (!job.result) sink.send({ type: "activity", activity: job.activity });
    // State beside the text (type check, tokens, parallel mode's outline and parts, the repair's
    // latest version, state and replacements) is replayed whole on every attach.
    for (const event of job.stateEvents()) sink.send(shown(event));
    return job.subscribe((event) => {
      if (event.type === "text") {
        if (event.offset <= position) return;
        const start = event.offset - event.delta.length;
        sink.text(event.delta.slice(Math.max(0, position - start)), event.offset);
        position = event.offset;
        return;
      }
      if (event.type !== "end") {
        sink.send(shown(event));
        return;
      }
      sink.send({ type: "end", offset: job.text.length, status: event.status, error: event.error === null ? null : redact(event.error), version: event.version });
      sink.close();
    });
  };
}
