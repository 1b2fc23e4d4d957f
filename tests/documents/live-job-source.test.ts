import { describe, expect, it } from "vitest";
import { liveJobSource } from "@/lib/documents/live-job-source";
import { sectionStateEvent } from "@/lib/events/document-events";
import { GenerationJob } from "@/lib/generation/job";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import { FAKE_SECRET } from "../support/fake-studio";
import { recordingSink } from "../support/recording-sink";

const redact = (text: string) => text.replaceAll(FAKE_SECRET, "[redacted]");

describe("the events of a job running in this process", () => {
  it("sends the text from `from`, then each delta once, never text it already sent", () => {
    const job = new GenerationJob("doc", { text: "Hello 🌍", continuations: 0, version: 1 });
    const activity = job.activity;
    const read = recordingSink(6);
    liveJobSource(job, 6, redact)(read.sink);
    expect(read.text()).toBe("🌍");
    job.append(" and more");
    expect(read.text()).toBe("🌍 and more");
    expect(read.events[0]).toEqual({ type: "activity", activity });
  });

  it("lets a reader ahead of the text wait, then sends only what lies beyond its position", () => {
    const job = new GenerationJob("doc", { text: "abc", continuations: 0, version: 1 });
    const read = recordingSink(5);
    liveJobSource(job, 5, redact)(read.sink);
    expect(read.text()).toBe("");
    job.append("d");
    expect(read.text()).toBe("");
    job.append("efg");
    expect(read.text()).toBe("fg");
  });

  it("ends with the final status, its redacted error and the version, and closes", () => {
    const job = new GenerationJob("doc", { text: "Partial", continuations: 0, version: 2 });
    const read = recordingSink(0);
    liveJobSource(job, 0, redact)(read.sink);
    job.end("failed", `401 from ${FAKE_SECRET}`);
    expect(read.events.at(-1)).toEqual({ type: "end", offset: 7, status: "failed", error: "401 from [redacted]", version: 2 });
    expect(read.closed()).toBe(true);
    // A reader attaching after the end is told nothing about what the model is doing.
    const late = recordingSink(0);
    liveJobSource(job, 0, redact)(late.sink);
    expect(late.text()).toBe("Partial");
    expect(late.events.some((event) => event.type === "activity")).toBe(false);
  });

  it("redacts a repair's reasons and a part's error, live and replayed on attach", () => {
    const job = new GenerationJob("doc", { text: "# T", continuations: 0, version: 1 });
    const record = newRepairRecord({ trigger: "manual", target: null, maxRounds: 2, fromVersion: 1, firstPass: null });
    const leaked = { ...record, rounds: [{ round: 1, sections: [{ section: 3, reason: `HTTP 500: ${FAKE_SECRET}` }] }] } as unknown as typeof record;
    job.beginRepair(leaked);
    const read = recordingSink(3);
    liveJobSource(job, 3, redact)(read.sink);
    job.publish({ ...sectionStateEvent({ section: 2, part: 1, parts: 1, state: "failed", text: "", error: `reset by ${FAKE_SECRET}`, continuations: 0, inputTokens: 0, outputTokens: 0 }) });
    const shown = JSON.stringify(read.events);
    expect(shown).toContain("HTTP 500: [redacted]");
    expect(shown).toContain("reset by [redacted]");
    expect(shown).not.toContain(FAKE_SECRET);
  });
});
