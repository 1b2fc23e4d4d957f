import { describe, expect, it } from "vitest";
import { loadLibrary } from "@/lib/examples/library";
import { ContinuationSeam, echoLength, HOLD_BACK, isRepetitive, MIN_ECHO } from "@/lib/generation/continuation-seam";

/** What the job stores: the existing text, then every piece the seam lets through. */
function stitch(existing: string, continuation: string, chunk: number): string {
  const seam = new ContinuationSeam(existing);
  let out = existing;
  for (let index = 0; index < continuation.length; index += chunk) out += seam.push(continuation.slice(index, index + chunk));
  return out + seam.flush();
}

const LIBRARY = loadLibrary();
/** Every 97th cut point of every library document (offset so that cuts fall at varied columns). */
const CUT_POINTS = LIBRARY.flatMap((example) =>
  Array.from({ length: Math.floor((example.markdown.length - 1) / 97) }, (_, index) => ({ example, cut: 1 + index * 97 })),
);

/** A run of one character (spaces, `=`, `▓`…): the exclusion for echo tests. */
const isRunOfOneCharacter = (text: string) => new Set(text).size === 1;

describe("continuation seam", () => {
  const existing = "## 4. Correct Design\n\nThe worker takes the lock, then checks the cache ke";
  const rest = "y before it calls the backend.\n\n## 5. Implementation\n";

  it.each([1, 7, 64, 1000])("passes a clean continuation through unchanged (chunks of %i)", (chunk) => {
    expect(stitch(existing, rest, chunk)).toBe(existing + rest);
  });

  it("drops a repeated tail, from the last words to the whole text given", () => {
    expect(stitch(existing, "lock, then checks the cache ke" + rest, 5)).toBe(existing + rest);
    expect(stitch(existing, existing + rest, 3)).toBe(existing + rest);
    expect(stitch(existing, "The worker takes the lock, then checks the cache key before it calls the backend.", 4)).toBe(
      existing + "y before it calls the backend.",
    );
  });

  it("keeps overlaps shorter than MIN_ECHO: they are coincidences as often as echoes", () => {
    const text = "const response = await fetch(url, res.status";
    // 12..19 characters of varied text that the continuation starts with
    for (let length = 12; length < MIN_ECHO; length++) {
      const overlap = text.slice(-length);
      expect(isRepetitive(overlap)).toBe(false);
      expect(echoLength(text, `${overlap} and more`)).toBe(0);
      expect(stitch(text, `${overlap} and more`, 3)).toBe(`${text}${overlap} and more`);
    }
    // and from MIN_ECHO on, the same text is an echo
    const echo = text.slice(-MIN_ECHO);
    expect(echoLength(text, `${echo} and more`)).toBe(MIN_ECHO);
  });

  it.each([
    ["a run of spaces", "x".repeat(5) + " ".repeat(60), " ".repeat(40) + "| next"],
    ["a run of =", "Diagram\n" + "=".repeat(50), "=".repeat(30) + "\n\nText"],
    ["a run of ▓", "load ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓", "▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░░░ 80%"],
    ["a table rule", "| a | b | c | d | e |\n|---|---|---|---|---|---|---|---|", "---|---|---|---|---|---|\n| 1 |"],
    ["an aligned table rule", "| a | b |\n| :--- | :--- | :--- | :--- | :--- | :--- |", " :--- | :--- | :--- | :--- |\n| 1 |"],
    ["a box line", "+----+----+----+----+----+----+", "----+----+----+----+----+\n|  a |"],
  ])("keeps a perfect continuation inside %s", (_name, before, after) => {
    expect(stitch(before, after, 7)).toBe(before + after);
  });

  it("is a no-op for a fresh document, and keeps continuations shorter than the hold-back", () => {
    expect(stitch("", "# Title\n", 1)).toBe("# Title\n");
    // Nothing is held back for a fresh document: text streams as it comes.
    expect(new ContinuationSeam("").push("# T")).toBe("# T");
    expect(stitch("abc", "def", 1)).toBe("abcdef");
    expect(new ContinuationSeam("abc").push("d".repeat(HOLD_BACK - 1))).toBe("");
    expect(new ContinuationSeam("abc").push("d".repeat(HOLD_BACK))).toBe("d".repeat(HOLD_BACK));
  });

  // The live case: circuit-breaker.md cut at 8232 in its first version, the same diagram line since the library grew.
  it("loses nothing at circuit-breaker.md cut inside its state diagram (15 spaces that repeat at the cut)", () => {
    const document = LIBRARY.find((example) => example.slug === "circuit-breaker")!.markdown;
    const cut = document.indexOf(" CLOSED   |                                            |   OPEN    |") + 40;
    expect(document.slice(cut - 15, cut + 15)).toBe(" ".repeat(30));
    expect(stitch(document.slice(0, cut), document.slice(cut), 24)).toBe(document);
  });

  it(`loses 0 characters with a perfect continuation at every 97th cut point of every library document (${CUT_POINTS.length} cuts)`, () => {
    expect(LIBRARY.length).toBeGreaterThanOrEqual(6);
    const lost = CUT_POINTS.filter(({ example, cut }) => stitch(example.markdown.slice(0, cut), example.markdown.slice(cut), 61) !== example.markdown);
    expect(lost.map(({ example, cut }) => `${example.slug}@${cut}`)).toEqual([]);
  });

  it("removes exactly the echo when a continuation repeats the last 20–400 characters", () => {
    let checked = 0;
    let repetitive = 0;
    const wrong: string[] = [];
    for (const { example, cut } of CUT_POINTS) {
      const document = example.markdown;
      // The edges of the range, and one more length that varies from cut to cut.
      for (const length of new Set([20, 21, 20 + ((cut * 31) % 381), 399, 400])) {
        if (length > cut) continue;
        const echo = document.slice(cut - length, cut);
        if (isRunOfOneCharacter(echo)) continue;
        checked += 1;
        // Rules and diagram whitespace with a mark or two (`+----+----`, `   |\n   `) cannot be told
        // from a perfect continuation inside them: by design they are kept, never taken for an echo.
        if (isRepetitive(echo)) {
          repetitive += 1;
          continue;
        }
        if (stitch(document.slice(0, cut), echo + document.slice(cut), 53) !== document) wrong.push(`${example.slug}@${cut}/${length}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(CUT_POINTS.length * 4);
    expect(repetitive / checked).toBeLessThan(0.01);
  });

  it("calls text repetitive when it has fewer than 3 visible characters, or repeats a unit at least twice", () => {
    // Two visible characters, spaced irregularly: no period, still a rule.
    expect(isRepetitive("=-= -==- = --= -")).toBe(true);
    // Three visible characters and no period: varied.
    expect(isRepetitive("abcbcacab acbbac")).toBe(false);
    // A unit exactly twice, and a unit that needs the matcher to fall back (period 3 of "aab").
    expect(isRepetitive("abcdefabcdef")).toBe(true);
    expect(isRepetitive("abcdefabcde")).toBe(false);
    expect(isRepetitive("aabaabaabaabaab")).toBe(true);
    expect(isRepetitive("aabaabaabaabaac")).toBe(false);
    expect(isRepetitive("abacabadabacabax")).toBe(false);
    // Borders the matcher finds only by falling back to a shorter prefix.
    expect(isRepetitive("bbabcabcbbba")).toBe(false);
    expect(isRepetitive("acababcabaabbacab")).toBe(false);
  });
});
