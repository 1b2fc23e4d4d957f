import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cancelFlush, scheduleFlush } from "@/lib/http/flush-scheduler";

describe("flush scheduler", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("runs every scheduled flush once, 25 ms after the first was scheduled, on one timer", () => {
    const first = vi.fn();
    const second = vi.fn();
    scheduleFlush(first);
    vi.advanceTimersByTime(10);
    scheduleFlush(second);
    scheduleFlush(first);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(14);
    expect(first).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100);
    expect(first).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("starts a new batch after a flush, and a flush may schedule itself again", () => {
    const calls: number[] = [];
    const again = () => {
      calls.push(Date.now());
      if (calls.length < 2) scheduleFlush(again);
    };
    const start = Date.now();
    scheduleFlush(again);
    vi.advanceTimersByTime(100);
    expect(calls.map((at) => at - start)).toEqual([25, 50]);
  });

  it("a cancelled flush does not run; the others still do", () => {
    const cancelled = vi.fn();
    const kept = vi.fn();
    scheduleFlush(cancelled);
    scheduleFlush(kept);
    cancelFlush(cancelled);
    vi.advanceTimersByTime(25);
    expect(cancelled).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
  });
});
