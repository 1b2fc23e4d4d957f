import "server-only";
/**
 * Joins a continuation to the text it continues. The request ends exactly at the stored text, so
 * the seam is there: everything the model writes is kept, except an echo — models asked to
 * "continue exactly where you stopped" sometimes repeat the tail they were given before going on.
 *
 * An overlap between the end of the text and the start of the continuation is only taken for an
 * echo when it demonstrates one: it is long (MIN_ECHO characters or more) and varied. Documents
 * are full of text that repeats itself at any cut point — runs of spaces, `=`, `-` or `▓` in
 * diagrams, table rules such as `|---|---|` or `+----+----+` — and a perfect continuation inside
 * such a run starts with the same characters the text ends with. Those overlaps are kept.
 *
 * The first characters of a continuation are held back until the overlap can be judged.
 */
export const HOLD_BACK = 400;
/** Shorter overlaps are coincidences as often as echoes: ", res.status" repeats in real code. */
export const MIN_ECHO = 20;
/** An echo has at least this many different visible characters (rules have one or two). */
const MIN_DISTINCT_VISIBLE = 3;

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
    // Stryker disable next-line StringLiteral: held is never read once decided; clearing it frees the memory.
    this.held = "";
    return text.slice(echoLength(this.existing, text));
  }
}

/** The smallest p such that text[i] === text[i + p] for every i: "+--+--+" has period 3. */
function smallestPeriod(text: string): number {
  // Knuth–Morris–Pratt failure function: the longest proper border gives the smallest period.
  const border = new Array<number>(text.length).fill(0);
  // Stryker disable next-line EqualityOperator: one step past the end writes a border nobody reads.
  for (let index = 1, length = 0; index < text.length; ) {
    if (text[index] === text[length]) border[index++] = ++length;
    else if (length > 0) length = border[length - 1]!;
    else border[index++] = 0;
  }
  return text.length - (border[text.length - 1] ?? 0);
}

/** Text a perfect continuation could repeat by coincidence: few distinct characters, or one short unit over and over. */
export function isRepetitive(text: string): boolean {
  const visible = new Set(text.replace(/\s/g, ""));
  return visible.size < MIN_DISTINCT_VISIBLE || smallestPeriod(text) * 2 <= text.length;
}

/**
 * Length of the continuation's prefix that merely repeats the end of the existing text: the
 * longest overlap that is long and varied enough to be an echo, or 0.
 */
export function echoLength(existing: string, continuation: string): number {
  const max = Math.min(existing.length, continuation.length, HOLD_BACK);
  for (let length = max; length >= MIN_ECHO; length--) {
    const candidate = continuation.slice(0, length);
    if (existing.endsWith(candidate)) return isRepetitive(candidate) ? 0 : length;
  }
  return 0;
}
