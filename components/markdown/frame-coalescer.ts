/**
 * Buffers streamed deltas and hands them to `commit` at most once per frame.
 * Framework-free so the scheduling can be tested with a fake frame clock.
 */

export type CancelFrame = () => void;
export type ScheduleFrame = (callback: () => void) => CancelFrame;

/** requestAnimationFrame where available; a ~60 Hz timer elsewhere (SSR, workers, tests). */
export const scheduleAnimationFrame: ScheduleFrame = (callback) => {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
};

/**
 * Animation frames at least `minIntervalMs` apart. A page that streams for minutes does not need
 * 60 text commits a second: each commit re-renders the tail, the sidebar and the status line.
 */
export function throttledFrames(minIntervalMs: number, frame: ScheduleFrame = scheduleAnimationFrame, now: () => number = () => performance.now()): ScheduleFrame {
  let lastRun = -Infinity;
  return (callback) => {
    let cancelFrame: CancelFrame | null = null;
    const run = () => {
      lastRun = now();
      callback();
    };
    const wait = lastRun + minIntervalMs - now();
    if (wait <= 0) {
      cancelFrame = frame(run);
      return () => cancelFrame?.();
    }
    const timer = setTimeout(() => (cancelFrame = frame(run)), wait);
    return () => {
      clearTimeout(timer);
      cancelFrame?.();
    };
  };
}

export interface FrameCoalescer {
  append(delta: string): void;
  /** Drop anything buffered and not yet committed. */
  cancel(): void;
}

export function createFrameCoalescer(commit: (delta: string) => void, schedule: ScheduleFrame = scheduleAnimationFrame): FrameCoalescer {
  let pending = "";
  let cancelScheduled: CancelFrame | null = null;

  const flush = () => {
    cancelScheduled = null;
    const delta = pending;
    pending = "";
    if (delta) commit(delta);
  };

  return {
    append(delta) {
      if (!delta) return;
      pending += delta;
      cancelScheduled ??= schedule(flush);
    },
    cancel() {
      cancelScheduled?.();
      cancelScheduled = null;
      pending = "";
    },
  };
}
