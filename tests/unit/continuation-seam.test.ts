import { describe, expect, it } from "vitest";
import { ContinuationSeam, overlapLength } from "@/lib/generation/continuation-seam";

function stitch(existing: string, continuation: string, chunk: number): string {
  const seam = new ContinuationSeam(existing);
  let out = "";
  for (let index = 0; index < continuation.length; index += chunk) out += seam.push(continuation.slice(index, index + chunk));
  return existing + out + seam.flush();
}

describe("continuation seam", () => {
  const existing = "## 4. Correct Design\n\nThe worker takes the lock, then checks the cache ke";
  const rest = "y before it calls the backend.\n\n## 5. Implementation\n";

  it.each([1, 7, 64, 1000])("passes a clean continuation through unchanged (chunks of %i)", (chunk) => {
    expect(stitch(existing, rest, chunk)).toBe(existing + rest);
  });

  it("drops a repeated tail", () => {
    expect(stitch(existing, "then checks the cache ke" + rest, 5)).toBe(existing + rest);
    expect(stitch(existing, "## 4. Correct Design\n\nThe worker takes the lock, then checks the cache ke" + rest, 3)).toBe(existing + rest);
  });

  it("drops a restarted unfinished line", () => {
    expect(stitch(existing, "The worker takes the lock, then checks the cache key before it calls the backend.", 4)).toBe(
      existing + "y before it calls the backend.",
    );
  });

  it("does not eat short coincidental overlaps", () => {
    expect(overlapLength("the value is a", "a value")).toBe(0);
  });

  it("is a no-op for a fresh document", () => {
    expect(stitch("", "# Title\n", 1)).toBe("# Title\n");
  });
});
