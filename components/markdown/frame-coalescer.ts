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
