import { describe, expect, it, vi } from "vitest";
import { createFrameCoalescer, throttledFrames, type ScheduleFrame } from "@/components/markdown/frame-coalescer";

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

describe("throttledFrames", () => {
  it("commits at most once per interval, on a frame, and never drops text", () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const frame = (callback: () => void) => {
        const id = setTimeout(callback, 16);
        return () => clearTimeout(id);
      };
      const commits: { at: number; delta: string }[] = [];
      const coalescer = createFrameCoalescer((delta) => commits.push({ at: clock, delta }), throttledFrames(80, frame, () => clock));
      for (let step = 0; step < 100; step++) {
        coalescer.append(String(step % 10));
        clock += 5;
        vi.advanceTimersByTime(5);
      }
      clock += 200;
      vi.advanceTimersByTime(200);
      expect(commits.map((commit) => commit.delta).join("")).toBe(Array.from({ length: 100 }, (_, step) => String(step % 10)).join(""));
      const gaps = commits.slice(1).map((commit, index) => commit.at - commits[index]!.at);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(80);
      expect(commits.length).toBeGreaterThanOrEqual(5);
      expect(commits.length).toBeLessThanOrEqual(8);
    } finally {
      vi.useRealTimers();
    }
  });
});
