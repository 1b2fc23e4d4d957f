import "server-only";
import type { DocumentEventSource } from "@/lib/events/document-event-sink";
import type { GenerationJob } from "@/lib/generation/job";

/**
 * The events of a generation running in this process: its text from `from`, what the model is
 * doing (replayed on attach), then every delta and activity change until it ends. A reader ahead
 * of the text (a `from` beyond it) waits until the text gets there.
 */
export function liveJobSource(job: GenerationJob, from: number): DocumentEventSource {
  return (sink) => {
    // Snapshot and subscribe in one synchronous turn: no delta can fall in between.
    const text = job.text;
    let position = from;
    if (position < text.length) {
      sink.text(text.slice(position), text.length);
      position = text.length;
    }
    if (!job.result) sink.send({ type: "activity", activity: job.activity });
    return job.subscribe((event) => {
      if (event.type === "text") {
        if (event.offset <= position) return;
        const start = event.offset - event.delta.length;
        sink.text(event.delta.slice(Math.max(0, position - start)), event.offset);
        position = event.offset;
        return;
      }
      if (event.type === "activity") {
        sink.send(event);
        return;
      }
      sink.send({ type: "end", offset: job.text.length, status: event.status, error: event.error });
      sink.close();
    });
  };
}
