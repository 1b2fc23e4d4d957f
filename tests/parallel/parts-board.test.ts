import { describe, expect, it } from "vitest";
import { documentText, finishedPartText, type PartKey } from "@/lib/documents/section-parts";
import { GenerationJob, type JobEvent } from "@/lib/generation/job";
import { PartsBoard } from "@/lib/generation/parallel/parts-board";
import { freshProgress } from "@/lib/generation/parallel/plan";

/** A small deterministic random source, so a failure names its seed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const PIECES = ["a", "🦀", "\n", "## x\n\n", "text ", "```ts\n", "\n\n"];

describe("the parts board: the text channel is the parts in order", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("keeps the job's text equal to documentText, append-only, whatever order parts grow and end in (seed %i)", (seed) => {
    const next = random(seed);
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const texts: string[] = [];
    job.subscribe((event: JobEvent) => {
      if (event.type === "text") texts.push(event.delta);
    });
    const board = new PartsBoard(job, freshProgress(true));
    const keys: PartKey[] = board.parts.map((part) => ({ section: part.section, part: part.part }));
    const open = new Set(keys.map((key) => `${key.section}.${key.part}`));
    for (let step = 0; step < 400 && open.size > 0; step += 1) {
      const key = keys[Math.floor(next() * keys.length)]!;
      if (!open.has(`${key.section}.${key.part}`)) continue;
      if (next() < 0.08) {
        const state = next() < 0.8 ? "complete" : "failed";
        board.setState(key, state, state === "failed" ? "boom" : null);
        open.delete(`${key.section}.${key.part}`);
      } else {
        board.appendText(key, PIECES[Math.floor(next() * PIECES.length)]!);
      }
      expect(job.text).toBe(documentText(board.parts, false));
    }
    board.finish();
    expect(job.text).toBe(documentText(board.parts, true));
    expect(texts.join("")).toBe(job.text);
  });

  it("ends a finished part with a blank line (the last with a newline), so parts join as Markdown blocks", () => {
    expect(finishedPartText("a", false)).toBe("a\n\n");
    expect(finishedPartText("a\n", false)).toBe("a\n\n");
    expect(finishedPartText("a\n\n\n", false)).toBe("a\n\n\n");
    expect(finishedPartText("a", true)).toBe("a\n");
    expect(finishedPartText("a\n", true)).toBe("a\n");
  });

  it("releases a part's text only once every part before it is complete", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    board.appendText({ section: 2, part: 1 }, "## 2. Two");
    board.appendText({ section: 0, part: 1 }, "# T\n\n");
    expect(job.text).toBe("# T\n\n");
    board.setState({ section: 0, part: 1 }, "complete");
    board.appendText({ section: 1, part: 1 }, "## 1. One");
    expect(job.text).toBe("# T\n\n## 1. One");
    board.setState({ section: 2, part: 1 }, "complete");
    expect(job.text).toBe("# T\n\n## 1. One");
    board.setState({ section: 1, part: 1 }, "complete");
    expect(job.text).toBe("# T\n\n## 1. One\n\n## 2. Two\n\n");
  });

  it("refuses to start from a text that is not its parts in order", () => {
    const progress = freshProgress(false);
    progress.parts[0] = { ...progress.parts[0]!, text: "# T\n\n", state: "complete" };
    expect(() => new PartsBoard(new GenerationJob("doc", { text: "# Other\n\n", continuations: 0, version: 1 }), progress)).toThrow(/does not match its parts/);
    expect(new PartsBoard(new GenerationJob("doc", { text: "# T\n\n", continuations: 0, version: 1 }), progress).parts[0]?.text).toBe("# T\n\n");
  });

  it("replays its state as events a reader can rebuild it from", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    board.appendText({ section: 0, part: 1 }, "# T\n\n");
    board.setOutline({ title: "T", summary: "S", incorrectApproaches: [], keyTerms: [], sections: [] });
    board.appendText({ section: 4, part: 1 }, "## 4. 🦀");
    board.setState({ section: 4, part: 1 }, "writing");
    const replay = job.stateEvents();
    expect(replay[0]?.type).toBe("outline");
    expect(replay.filter((event) => event.type === "section-state")).toHaveLength(13);
    expect(replay).toContainEqual({ type: "section-text", section: 4, part: 1, delta: "## 4. 🦀", offset: 8 });
    expect(replay).toContainEqual(expect.objectContaining({ type: "section-state", section: 4, part: 1, state: "writing", length: 8 }));
  });
});
