import "server-only";
/**
 * Joins a continuation to the text it continues. Models asked to "continue exactly where you
 * stopped" often repeat the tail they were given (the last line, a heading) before going on.
 * The first characters of the continuation are held back until the overlap with the existing
 * tail can be judged, then the repeated part is dropped.
 */
const HOLD_BACK = 400;
const MIN_OVERLAP = 12;

export class ContinuationSeam {
  private held = "";
  private decided: boolean;

  constructor(private readonly existing: string) {
    this.decided = existing.length === 0;
  }

  /** Returns the text to emit now (possibly empty while the seam is undecided). */
  push(delta: string): string {
    if (this.decided) return delta;
    this.held += delta;
    return this.held.length >= HOLD_BACK ? this.release() : "";
  }

  /** The stream ended: whatever is held is judged with what we have. */
  flush(): string {
    return this.decided ? "" : this.release();
  }

  private release(): string {
    this.decided = true;
    const text = this.held;
    this.held = "";
    return text.slice(overlapLength(this.existing, text));
  }
}

/** Length of the continuation's prefix that merely repeats the end of the existing text. */
export function overlapLength(existing: string, continuation: string): number {
  const max = Math.min(existing.length, continuation.length, HOLD_BACK);
  for (let length = max; length >= MIN_OVERLAP; length--) {
    if (existing.endsWith(continuation.slice(0, length))) return length;
  }
  // The model restarted the unfinished last line from its beginning: "…the cache ke" + "The cache key is…".
  const lastLineStart = existing.lastIndexOf("\n") + 1;
  const partialLine = existing.slice(lastLineStart);
  if (partialLine.trim().length >= MIN_OVERLAP && continuation.toLowerCase().startsWith(partialLine.toLowerCase())) {
    return partialLine.length;
  }
  return 0;
}
