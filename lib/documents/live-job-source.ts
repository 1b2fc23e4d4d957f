import "server-only";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { GenerationJob } from "@/lib/generation/job";

/**
 * The events of a generation running in this process: its text from `from`, then every delta
 * until it ends. A reader ahead of the text (a `from` beyond it) waits until the text gets there.
 * The end's error message is redacted like every message shown (it is stored redacted too).
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
    // State beside the text (type check, tokens, parallel mode's outline and parts) is replayed whole on every attach.
    for (const event of job.stateEvents()) sink.send(event);
    return job.subscribe((event) => {
      if (event.type === "text") {
        if (event.offset <= position) return;
        const start = event.offset - event.delta.length;
        sink.text(event.delta.slice(Math.max(0, position - start)), event.offset);
        position = event.offset;
        return;
      }
      if (event.type !== "end") {
        sink.send(event);
        return;
      }
      sink.send({ type: "end", offset: job.text.length, status: event.status, error: event.error === null ? null : redact(event.error) });
      sink.close();
    });
  };
}
