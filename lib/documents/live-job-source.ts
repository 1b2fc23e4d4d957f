import "server-only";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { GenerationJob } from "@/lib/generation/job";
import { redactRepairRecord } from "@/lib/repair/record";

/**
 * The events of a job running in this process: its text from `from`, the state beside it (type
 * check, latest version, repair, the replacements being written), then every change until it
 * ends. A reader ahead of the text (a `from` beyond it) waits until the text gets there.
 * Messages are redacted like every message shown (they are stored redacted too): the end's
 * error, and the repair's reasons (a failed request's reason quotes the provider).
 */
export function liveJobSource(job: GenerationJob, from: number, redact: (text: string) => string): DocumentEventSource {
  return (sink) => {
    // Snapshot and subscribe in one synchronous turn: no delta can fall in between.
    const text = job.text;
    let position = from;
    if (position < text.length) {
      sink.text(text.slice(position), text.length);
      position = text.length;
    }
    // State beside the text is replayed whole on every attach.
    const latest = job.latestVersion;
    if (latest) sink.send({ type: "version", version: latest.version, markdown: latest.markdown });
    if (job.typecheck) sink.send({ type: "checks", typecheck: job.typecheck });
    if (job.repair) sink.send({ type: "repair", repair: redactRepairRecord(job.repair, redact) });
    for (const draft of job.repairDrafts) if (draft.text) sink.send({ type: "section", number: draft.number, round: draft.round, from: 0, delta: draft.text });
    return job.subscribe((event) => {
      if (event.type === "text") {
        if (event.offset <= position) return;
        const start = event.offset - event.delta.length;
        sink.text(event.delta.slice(Math.max(0, position - start)), event.offset);
        position = event.offset;
        return;
      }
      if (event.type === "end") {
        sink.send({ type: "end", offset: job.text.length, status: event.status, error: event.error === null ? null : redact(event.error), version: event.version });
        sink.close();
        return;
      }
      if (event.type === "repair") {
        sink.send({ type: "repair", repair: redactRepairRecord(event.repair, redact) });
        return;
      }
      sink.send(event);
    });
  };
}
