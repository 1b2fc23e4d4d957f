import { describe, expect, it } from "vitest";
import { createFrameCoalescer, type ScheduleFrame } from "@/components/markdown/frame-coalescer";

/** A manual frame clock: callbacks run only when the test advances a frame. */
function fakeFrames() {
  let queued: (() => void)[] = [];
  const schedule: ScheduleFrame = (callback) => {
    queued.push(callback);
    return () => {
      queued = queued.filter((c) => c !== callback);
    };
  };
  return {
    schedule,
    get scheduledCount() {
      return queued.length;
    },
    nextFrame() {
      const run = queued;
      queued = [];
      run.forEach((callback) => callback());
    },
  };
}

describe("createFrameCoalescer", () => {
  it("commits all deltas of a frame in one call, at most once per frame", () => {
    const frames = fakeFrames();
    const commits: string[] = [];
    const coalescer = createFrameCoalescer((delta) => commits.push(delta), frames.schedule);
    coalescer.append("a");
    coalescer.append("b");
    coalescer.append("c");
    expect(frames.scheduledCount).toBe(1);
    expect(commits).toEqual([]);
    frames.nextFrame();
    expect(commits).toEqual(["abc"]);
    coalescer.append("d");
    frames.nextFrame();
    frames.nextFrame();
    expect(commits).toEqual(["abc", "d"]);
  });

  it("schedules nothing for empty deltas and nothing after a frame with no input", () => {
    const frames = fakeFrames();
    const commits: string[] = [];
    const coalescer = createFrameCoalescer((delta) => commits.push(delta), frames.schedule);
    coalescer.append("");
    expect(frames.scheduledCount).toBe(0);
    frames.nextFrame();
    expect(commits).toEqual([]);
  });

  it("cancel drops buffered text and the scheduled frame", () => {
    const frames = fakeFrames();
    const commits: string[] = [];
    const coalescer = createFrameCoalescer((delta) => commits.push(delta), frames.schedule);
    coalescer.append("stale");
    coalescer.cancel();
    expect(frames.scheduledCount).toBe(0);
    coalescer.append("fresh");
    frames.nextFrame();
    expect(commits).toEqual(["fresh"]);
  });

  it("falls back to a timer when requestAnimationFrame is missing", async () => {
    expect(typeof requestAnimationFrame).toBe("undefined");
    const commits: string[] = [];
    const coalescer = createFrameCoalescer((delta) => commits.push(delta));
    coalescer.append("x");
    coalescer.append("y");
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(commits).toEqual(["xy"]);
  });
});
