import { describe, expect, it } from "vitest";
import { adjacentHeadingIndex, currentHeadingIndex, READING_LINE_PX } from "@/components/reader/heading-navigation";

const at = (tops: number[]) => (index: number) => tops[index]!;

describe("current heading (scroll spy)", () => {
  it("is the last heading at or above the reading line", () => {
    const tops = [-900, -300, READING_LINE_PX, READING_LINE_PX + 1, 2000];
    expect(currentHeadingIndex(at(tops), tops.length)).toBe(2);
    expect(currentHeadingIndex(at([200, 800]), 2)).toBe(-1);
    expect(currentHeadingIndex(at([-5000, -4000, -10]), 3)).toBe(2);
    expect(currentHeadingIndex(at([]), 0)).toBe(-1);
  });

  it("reads only a logarithmic number of positions", () => {
    const tops = Array.from({ length: 1000 }, (_, index) => index * 100 - 50_000);
    let reads = 0;
    const index = currentHeadingIndex((i) => (reads++, tops[i]!), tops.length);
    expect(tops[index]).toBeLessThanOrEqual(READING_LINE_PX);
    expect(tops[index + 1]).toBeGreaterThan(READING_LINE_PX);
    expect(reads).toBeLessThanOrEqual(11);
  });
});

describe("j / k targets", () => {
  it("j goes to the first section below the top, k to the start of the current or previous one", () => {
    // Just jumped to section 2 (index 1): its top sits at the scroll margin.
    const tops = [-1200, 16, 900, 2400];
    expect(adjacentHeadingIndex(tops, 1)).toBe(2);
    expect(adjacentHeadingIndex(tops, -1)).toBe(0);
    // Halfway through section 2: k returns to its start.
    expect(adjacentHeadingIndex([-1500, -400, 500], -1)).toBe(1);
  });

  it("has nowhere to go past either end", () => {
    expect(adjacentHeadingIndex([-900, -100, 10], 1)).toBeNull();
    expect(adjacentHeadingIndex([16, 900], -1)).toBeNull();
    expect(adjacentHeadingIndex([], 1)).toBeNull();
  });
});
