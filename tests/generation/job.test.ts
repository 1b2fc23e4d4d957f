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
    expect(job.takeRepairCheckpoint()).toBeNull();
    expect(job.typecheck).toBeNull();
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

  it("counts tokens from the start's totals, and tells readers each new total", () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 1, tokens: { inputTokens: 10, outputTokens: 5 } });
    const events = watched(job);
    job.addTokens(3, 4);
    job.addTokens(1, 0);
    expect(job.tokens).toEqual({ inputTokens: 14, outputTokens: 9 });
    expect(events).toEqual([
      { type: "tokens", inputTokens: 13, outputTokens: 9 },
      { type: "tokens", inputTokens: 14, outputTokens: 9 },
    ]);
  });

  it("gives a reader that attaches the state beside the text, in the order it must apply it", () => {
    const job = new GenerationJob("id", { text: "Pass.", continuations: 0, version: 1 });
    expect(job.stateEvents()).toEqual([]);
    const parts = { outline: null, parts: [] };
    job.attachSideState({ replay: () => [{ type: "outline", outline: null } as never], snapshot: () => parts });
    job.addTokens(2, 3);
    const typecheck = { status: "unavailable" } as never;
    job.recordTypecheck(typecheck);
    const record = { status: "running", rounds: [] } as never;
    job.beginRepair(record, [
      { number: 4, round: 1, text: "## 4. Draft" },
      { number: 7, round: 1, text: "" },
    ]);
    const version = { version: 2, createdAt: "2026-01-01T00:00:00.000Z", reason: "Repair round 1: section 4", satisfied: 12 };
    job.acceptVersion(version, "Version 2.");
    expect(job.stateEvents()).toEqual([
      { type: "tokens", inputTokens: 2, outputTokens: 3 },
      { type: "outline", outline: null },
      { type: "version", version, markdown: "Version 2." },
      { type: "checks", typecheck },
      { type: "repair", repair: record },
      { type: "section", number: 4, round: 1, from: 0, delta: "## 4. Draft" },
    ]);
    expect([job.text, job.markdown, job.version, job.passVersion, job.latestVersion?.version.version]).toEqual(["Pass.", "Version 2.", 2, 1, 2]);
    expect(job.takeCheckpoint()?.parallel).toBe(parts);
  });

  it("keeps the pass's text once the repair begins, and checkpoints the repair (with the history) apart from it", () => {
    const job = new GenerationJob("id", { text: "Pass.", continuations: 0, version: 1 });
    const record = { status: "running", rounds: [] } as never;
    expect(job.takeRepairCheckpoint()).toBeNull();
    job.beginRepair(record);
    expect(job.status).toBe("repairing");
    job.append("ignored");
    expect(job.text).toBe("Pass.");
    expect(job.takeRepairCheckpoint()).toEqual({ repair: record, drafts: [], history: [] });
    expect(job.takeRepairCheckpoint()).toBeNull();
    job.note("retried", "The repair of section 4: retried");
    expect(job.takeCheckpoint()).toBeNull();
    expect(job.takeRepairCheckpoint()?.history.map((entry) => entry.message)).toEqual(["The repair of section 4: retried"]);
    job.repairCheckpointFailed();
    expect(job.takeRepairCheckpoint()).not.toBeNull();
  });

  it("streams each section's replacement with its offset, starts it over in a new round, and forgets a judged round", () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    job.beginRepair({ status: "running", rounds: [] } as never);
    const events = watched(job);
    job.appendSection(4, 1, "ab");
    job.appendSection(4, 1, "");
    job.appendSection(4, 1, "c");
    job.appendSection(7, 1, "x");
    job.appendSection(4, 2, "new");
    expect(events).toEqual([
      { type: "section", number: 4, round: 1, from: 0, delta: "ab" },
      { type: "section", number: 4, round: 1, from: 2, delta: "c" },
      { type: "section", number: 7, round: 1, from: 0, delta: "x" },
      { type: "section", number: 4, round: 2, from: 0, delta: "new" },
    ]);
    expect(job.repairDrafts).toEqual([
      { number: 4, round: 2, text: "new" },
      { number: 7, round: 1, text: "x" },
    ]);
    job.takeRepairCheckpoint();
    job.clearDrafts(1);
    expect(job.repairDrafts).toEqual([{ number: 4, round: 2, text: "new" }]);
    expect(job.takeRepairCheckpoint()?.drafts).toEqual([{ number: 4, round: 2, text: "new" }]);
  });

  it("stops the first pass at a spend limit, but lets a repair's open requests finish; the first reason stays", () => {
    const pass = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    expect(pass.limitReached).toBeNull();
    pass.stopForLimit("The document's token limit is reached.");
    pass.stopForLimit("The daily budget is spent.");
    expect(pass.limitReached).toBe("The document's token limit is reached.");
    expect(pass.controller.signal.aborted).toBe(true);
    expect(pass.stopped).toBeNull();

    const repair = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    repair.beginRepair({ status: "running", rounds: [] } as never);
    repair.stopForLimit("The daily budget is spent.");
    expect(repair.limitReached).toBe("The daily budget is spent.");
    expect(repair.controller.signal.aborted).toBe(false);
  });

  it("cancels with the user's reason; an interrupt says it was a shutdown", () => {
    const cancelled = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    cancelled.cancel();
    expect((cancelled.controller.signal.reason as Error).message).toBe("cancelled by the user");
    expect(cancelled.stopped).toBeNull();
    const interrupted = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    interrupted.interrupt("The server restarted.");
    expect(interrupted.stopped).toEqual({ status: "interrupted", message: "The server restarted." });
    expect((interrupted.controller.signal.reason as Error).message).toBe("The server restarted.");
  });

  it("drops a reader that throws, keeps the others, and stops telling a reader that unsubscribed", () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 1 });
    let broken = 0;
    job.subscribe(() => {
      broken += 1;
      throw new Error("reader gone");
    });
    const kept = watched(job);
    const left: JobEvent[] = [];
    const unsubscribe = job.subscribe((event) => left.push(event));
    job.append("a");
    unsubscribe();
    job.append("b");
    expect(broken).toBe(1);
    const texts = (events: JobEvent[]) => events.flatMap((event) => (event.type === "text" ? [event.delta] : []));
    expect(texts(kept)).toEqual(["a", "b"]);
    expect(texts(left)).toEqual(["a"]);
  });

  it("tells nothing more once ended: no state, no activity, and its end carries the version it reached", () => {
    const job = new GenerationJob("id", { text: "", continuations: 0, version: 3 });
    const events = watched(job);
    job.acceptVersion({ version: 4, createdAt: "2026-01-01T00:00:00.000Z", reason: "r", satisfied: 12 }, "v4");
    job.end("complete", null);
    job.publish({ type: "outline", outline: null } as never);
    job.setActivity("thinking");
    job.appendSection(4, 1, "late");
    expect(events.map((event) => event.type)).toEqual(["version", "end"]);
    expect(events[1]).toEqual({ type: "end", status: "complete", error: null, version: 4 });
    expect(job.result).toEqual({ status: "complete", error: null });
    expect(job.takeCheckpoint()).toBeNull();
  });

  it("checkpoints what readers were told beside the text, a section's draft, and nothing for an empty delta", () => {
    const job = new GenerationJob("id", { text: "Pass.", continuations: 0, version: 1, tokens: { inputTokens: 0, outputTokens: 7 } });
    const events = watched(job);
    expect(job.markdown).toBe("Pass.");
    expect(job.stateEvents()).toEqual([{ type: "tokens", inputTokens: 0, outputTokens: 7 }]);
    job.append("");
    expect(events).toEqual([]);
    expect(job.takeCheckpoint()).toBeNull();
    job.publish({ type: "outline", outline: null } as never);
    expect(job.takeCheckpoint()).not.toBeNull();
    job.beginRepair({ status: "running", rounds: [] } as never);
    job.takeRepairCheckpoint();
    job.appendSection(4, 1, "## 4.");
    expect(job.takeRepairCheckpoint()?.drafts).toEqual([{ number: 4, round: 1, text: "## 4." }]);
  });
});
