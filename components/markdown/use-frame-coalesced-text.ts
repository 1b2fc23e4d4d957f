"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";

export interface FrameCoalescedText {
  /** Committed text: changes at most once per animation frame. */
  text: string;
  /** Buffer a streamed delta; it is committed on the next frame. */
  append(delta: string): void;
  /** Replace everything now (new document / restored draft); drops pending deltas. */
  reset(text: string): void;
}

type CancelFrame = () => void;

/** requestAnimationFrame where available; a ~60 Hz timer elsewhere (background tabs, tests). */
function scheduleFrame(callback: () => void): CancelFrame {
  if (typeof requestAnimationFrame === "function") {
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
}

/**
 * Streams arrive in many small chunks (hundreds per second); rendering each one
 * wastes work the screen never shows. Deltas are buffered in a ref and
 * committed with a single setState per animation frame.
 */
export function useFrameCoalescedText(initial = ""): FrameCoalescedText {
  const [text, setText] = useState(initial);
  const pending = useRef("");
  const cancelScheduled = useRef<CancelFrame | null>(null);

  const flush = useCallback(() => {
    cancelScheduled.current = null;
    const delta = pending.current;
    pending.current = "";
    if (delta) setText((previous) => previous + delta);
  }, []);

  const append = useCallback(
    (delta: string) => {
      if (!delta) return;
      pending.current += delta;
      cancelScheduled.current ??= scheduleFrame(flush);
    },
    [flush],
  );

  const reset = useCallback((next: string) => {
    cancelScheduled.current?.();
    cancelScheduled.current = null;
    pending.current = "";
    setText(next);
  }, []);

  useEffect(() => () => cancelScheduled.current?.(), []);

  return useMemo(() => ({ text, append, reset }), [text, append, reset]);
}
