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

  it("tells readers every change as an event: text with its offset, state with its error, tokens and continuations", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    const events: JobEvent[] = [];
    job.subscribe((event) => events.push(event));
    const seven = { section: 7, part: 1 };
    board.setState(seven, "writing");
    board.appendText(seven, "## 7. ");
    board.appendText(seven, "");
    board.appendText(seven, "Failure 🦀");
    board.addTokens(seven, 10, 4);
    board.addTokens(seven, 1, 2);
    board.countContinuation(seven);
    board.setState(seven, "failed", "boom");
    const outline = { title: "T", summary: "S", incorrectApproaches: [], keyTerms: [], sections: [] };
    board.setOutline(outline);
    expect(events.at(-1)).toEqual({ type: "outline", outline });
    const sectionEvents = events.filter((event) => event.type === "section-text" || event.type === "section-state");
    expect(sectionEvents).toEqual([
      expect.objectContaining({ type: "section-state", section: 7, part: 1, state: "writing", length: 0, error: null }),
      { type: "section-text", section: 7, part: 1, delta: "## 7. ", offset: 6 },
      { type: "section-text", section: 7, part: 1, delta: "Failure 🦀", offset: 16 },
      expect.objectContaining({ type: "section-state", section: 7, inputTokens: 10, outputTokens: 4 }),
      expect.objectContaining({ type: "section-state", section: 7, inputTokens: 11, outputTokens: 6, continuations: 0 }),
      expect.objectContaining({ type: "section-state", section: 7, continuations: 1 }),
      expect.objectContaining({ type: "section-state", section: 7, state: "failed", error: "boom", length: 16 }),
    ]);
    expect(() => board.part({ section: 13, part: 1 })).toThrow("no part 13.1");
  });

  it("tells the job what its parts do together, and forgets a part once it stops writing", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    board.setActivity({ section: 2, part: 1 }, "thinking");
    expect(job.activity).toBe("thinking");
    board.setActivity({ section: 3, part: 1 }, "writing");
    expect(job.activity).toBe("writing");
    board.setState({ section: 3, part: 1 }, "writing");
    expect(job.activity).toBe("writing");
    board.setState({ section: 3, part: 1 }, "complete");
    expect(job.activity).toBe("thinking");
  });

  it("changes nothing once finished, and joins every part's text then, unfinished ones included", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    board.appendText({ section: 0, part: 1 }, "# T\n\n");
    board.appendText({ section: 2, part: 1 }, "## 2. Two");
    expect(job.text).toBe("# T\n\n");
    board.finish();
    expect(job.text).toBe("# T\n\n## 2. Two");
    const events: JobEvent[] = [];
    job.subscribe((event) => events.push(event));
    board.appendText({ section: 2, part: 1 }, "more");
    board.setState({ section: 2, part: 1 }, "complete");
    board.setActivity({ section: 2, part: 1 }, "thinking");
    expect(events).toEqual([]);
    expect(job.activity).toBe("writing");
    expect(board.part({ section: 2, part: 1 })).toMatchObject({ text: "## 2. Two", state: "queued" });
  });

  it("goes on from a stored start: after its complete parts, and the text the first unfinished one has", () => {
    const progress = freshProgress(false);
    progress.parts[0] = { ...progress.parts[0]!, state: "complete", text: "# T\n\n" };
    progress.parts[1] = { ...progress.parts[1]!, state: "writing", text: "## 1. One" };
    const job = new GenerationJob("doc", { text: "# T\n\n## 1. One", continuations: 0, version: 1 });
    const board = new PartsBoard(job, progress);
    board.appendText({ section: 1, part: 1 }, " more");
    expect(job.text).toBe("# T\n\n## 1. One more");
    board.setState({ section: 1, part: 1 }, "complete");
    board.appendText({ section: 2, part: 1 }, "## 2. Two");
    expect(job.text).toBe("# T\n\n## 1. One more\n\n## 2. Two");
    // The stored progress the board started from is its own copy.
    expect(progress.parts[1]?.text).toBe("## 1. One");
  });

  it("ends every finished part with a blank line but the last, which ends with one newline", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    for (const part of board.parts) {
      board.appendText(part, `${part.section}`);
      board.setState(part, "complete");
    }
    board.finish();
    expect(job.text).toBe(`${board.parts.map((part) => part.section).join("\n\n")}\n`);
  });

  it("replays no outline before there is one, and no text of a part that has none", () => {
    const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
    const board = new PartsBoard(job, freshProgress(false));
    const replay = board.replay();
    expect(replay).toHaveLength(13);
    expect(replay.every((event) => event.type === "section-state")).toBe(true);
  });
});

