"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { createFrameCoalescer, scheduleAnimationFrame, throttledFrames, type FrameCoalescer } from "./frame-coalescer";

export interface FrameCoalescedText {
  /** Committed text: changes at most once per animation frame. */
  text: string;
  /** Buffer a streamed delta; it is committed on the next frame. */
  append(delta: string): void;
  /** Replace everything now (new document / restored draft); drops pending deltas. */
  reset(text: string): void;
}

/**
 * Streams arrive in many small chunks (hundreds per second); rendering each one
 * wastes work the screen never shows. Deltas are buffered outside React state
 * and committed with a single setState per animation frame (setTimeout
 * fallback when there is no requestAnimationFrame).
 */
export function useFrameCoalescedText(initial = "", options: { minIntervalMs?: number } = {}): FrameCoalescedText {
  const [text, setText] = useState(initial);
  // useState (not useRef) so the coalescer is created once and can be read during render.
  const [coalescer] = useState<FrameCoalescer>(() =>
    createFrameCoalescer(
      (delta) => setText((previous) => previous + delta),
      options.minIntervalMs ? throttledFrames(options.minIntervalMs) : scheduleAnimationFrame,
    ),
  );

  useEffect(() => () => coalescer.cancel(), [coalescer]);

  const append = useCallback((delta: string) => coalescer.append(delta), [coalescer]);
  const reset = useCallback(
    (next: string) => {
      coalescer.cancel();
      setText(next);
    },
    [coalescer],
  );

  return useMemo(() => ({ text, append, reset }), [text, append, reset]);
}
