import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SilenceWatchdog } from "@/lib/generation/silence-watchdog";

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A watchdog that records when (in fake milliseconds) it fired, and with which message. */
function watch(limitMs: number, message = "first token") {
  const fired: { at: number; message: string }[] = [];
  const watchdog = new SilenceWatchdog(limitMs, message, (text) => fired.push({ at: Date.now(), message: text }));
  return { watchdog, fired };
}

describe("silence watchdog", () => {
  it("fires at the first-token deadline when nothing arrives", async () => {
    const { fired } = watch(3_000);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([{ at: 3_000, message: "first token" }]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fired).toHaveLength(1);
  });

  it("honours an idle limit shorter than the first-token limit (re-arms earlier at once)", async () => {
    const { watchdog, fired } = watch(60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    watchdog.progress(1_500, "idle"); // first token at 1 s: now 1.5 s of silence is too much
    await vi.advanceTimersByTimeAsync(1_499);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([{ at: 2_500, message: "idle" }]);
  });

  it("honours an idle limit longer than the first-token limit (re-arms for the remainder when woken early)", async () => {
    const { watchdog, fired } = watch(1_000);
    await vi.advanceTimersByTimeAsync(900);
    watchdog.progress(5_000, "idle");
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([{ at: 5_900, message: "idle" }]);
  });

  it("measures the idle limit from the last progress, across many chunks, within 100 ms", async () => {
    const { watchdog, fired } = watch(10_000);
    for (let at = 100; at <= 3_000; at += 100) {
      await vi.advanceTimersByTimeAsync(100);
      watchdog.progress(2_000, "idle");
    }
    await vi.advanceTimersByTimeAsync(1_950);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.at).toBeGreaterThanOrEqual(5_000);
    expect(fired[0]!.at).toBeLessThanOrEqual(5_100);
  });

  it("keeps one timer however many chunks arrive", async () => {
    const { watchdog } = watch(60_000);
    await vi.advanceTimersByTimeAsync(10);
    watchdog.progress(1_000, "idle");
    const timers = vi.getTimerCount();
    for (let chunk = 0; chunk < 1_000; chunk++) watchdog.progress(1_000, "idle");
    expect(vi.getTimerCount()).toBe(timers);
    expect(timers).toBe(1);
  });

  it("arms a timer for progress only when it moves the deadline earlier than the armed one", async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
    const { watchdog, fired } = watch(1_000);
    watchdog.progress(1_000, "idle"); // the same deadline as the armed timer's
    for (let at = 1; at <= 900; at++) {
      await vi.advanceTimersByTimeAsync(1);
      watchdog.progress(1_000, "idle"); // later deadlines: written down, not armed
    }
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([{ at: 1_900, message: "idle" }]);
    expect(setTimeoutSpy).toHaveBeenCalledTimes(2); // woken at 1 s, re-armed once for the remainder
    setTimeoutSpy.mockRestore();
  });

  it("never fires once stopped, and ignores progress after it", async () => {
    const { watchdog, fired } = watch(1_000);
    watchdog.stop();
    watchdog.progress(10, "late");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
