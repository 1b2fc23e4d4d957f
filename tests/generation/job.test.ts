import { describe, expect, it } from "vitest";
import { GenerationJob, type JobEvent } from "@/lib/generation/job";

function watched(job: GenerationJob) {
  const events: JobEvent[] = [];
  job.subscribe((event) => events.push(event));
  return events;
}

describe("a generation job", () => {
  it("writes a checkpoint only when something changed, and writes a failed one again", () => {
    const job = new GenerationJob("id", { text: "Prefix. ", continuations: 1, version: 1 });
    expect(job.takeCheckpoint()).toBeNull();
    job.append("More.");
    expect(job.takeCheckpoint()).toEqual({ text: "Prefix. More.", continuations: 1, history: [] });
    expect(job.takeCheckpoint()).toBeNull();
    job.checkpointFailed();
    expect(job.takeCheckpoint()).toEqual({ text: "Prefix. More.", continuations: 1, history: [] });
    job.countContinuation();
    expect(job.takeCheckpoint()?.continuations).toBe(2);
  });

  it("records history entries and checkpoints them", () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 1, history: [{ at: "2026-01-01T00:00:00.000Z", kind: "retried", message: "earlier" }] });
    job.note("continued_after_length", "went on");
    expect(job.history.map((entry) => entry.kind)).toEqual(["retried", "continued_after_length"]);
    expect(job.takeCheckpoint()?.history).toHaveLength(2);
  });

  it("tells readers about activity changes only, and text as writing", () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    const events = watched(job);
    expect(job.activity).toBe("waiting");
    job.setActivity("waiting");
    job.setActivity("thinking");
    job.setActivity("thinking");
    job.append("a");
    job.append("b");
    expect(events).toEqual([
      { type: "activity", activity: "thinking" },
      { type: "activity", activity: "writing" },
      { type: "text", delta: "a", offset: 1 },
      { type: "text", delta: "b", offset: 2 },
    ]);
  });

  it("ends once, with the reason the server stopped it", async () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    const events = watched(job);
    job.failStorage("storage failed");
    job.interrupt("shutdown");
    expect(job.stopped).toEqual({ status: "failed", message: "storage failed" });
    expect(job.controller.signal.aborted).toBe(true);
    job.end("failed", "storage failed");
    job.end("complete", null);
    job.append("late");
    await job.done;
    expect(events).toEqual([{ type: "end", status: "failed", error: "storage failed", version: 1 }]);
    const late: JobEvent[] = [];
    job.subscribe((event) => late.push(event));
    expect(late).toEqual([{ type: "end", status: "failed", error: "storage failed", version: 1 }]);
  });
});
