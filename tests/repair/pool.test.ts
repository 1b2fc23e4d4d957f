import { describe, expect, it } from "vitest";
import { runPool } from "@/lib/generation/repair/pool";

/** Work that records how many items run at once, and finishes each after `ms`. */
function tracked(ms = 5) {
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const work = async (item: number) => {
    started.push(item);
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, ms));
    running -= 1;
  };
  return { work, started, most: () => most };
}

describe("runPool", () => {
  it("runs every item in order, at most `limit` at a time", async () => {
    const { work, started, most } = tracked();
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, new AbortController().signal, work);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most()).toBe(3);
  });

  it("runs one at a time with a limit of 1 (or less), and copes with fewer items than the limit", async () => {
    for (const limit of [1, 0]) {
      const one = tracked();
      await runPool([1, 2, 3], limit, new AbortController().signal, one.work);
      expect([one.started, one.most()]).toEqual([[1, 2, 3], 1]);
    }
    const few = tracked();
    await runPool([1, 2], 8, new AbortController().signal, few.work);
    expect([few.started, few.most()]).toEqual([[1, 2], 2]);
    await expect(runPool([], 3, new AbortController().signal, few.work)).resolves.toBeUndefined();
  });

  it("takes no new item once the signal aborts; items already running finish", async () => {
    const controller = new AbortController();
    const finished: number[] = [];
    await runPool([1, 2, 3, 4, 5], 2, controller.signal, async (item) => {
      if (item === 2) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished.push(item);
    });
    expect(finished.sort()).toEqual([1, 2]);
  });
});
