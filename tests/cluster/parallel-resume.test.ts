/**
 * Resuming a parallel document nobody runs any more: each part from the longer of the checkpoint
 * and what readers received, what readers lack sent first, every unfinished part queued again.
 */
import { describe, expect, it } from "vitest";
import { receivedParallel, resumeParallel } from "@/lib/cluster/parallel-resume";
import { documentText, type Outline, type ParallelProgress, type PartProgress } from "@/lib/documents/section-parts";

const outline = { title: "Caché 🦀", summary: "s", incorrectApproaches: [], keyTerms: [], sections: [] } as Outline;

const part = (section: number, state: PartProgress["state"], text: string, partNumber = 1, parts = 1): PartProgress => ({
  section,
  part: partNumber,
  parts,
  state,
  text,
  error: state === "failed" ? "upstream 500" : null,
  continuations: 0,
  inputTokens: 10,
  outputTokens: 20,
});

const sectionText = (section: number, delta: string, offset: number, partNumber = 1) => ({ type: "section-text", section, part: partNumber, delta, offset });

describe("resuming a parallel document", () => {
  it("folds what readers received like a reader does: replays repeat text, states are the last heard", () => {
    const received = receivedParallel([
      { type: "outline", outline },
      sectionText(1, "Ab", 2),
      sectionText(1, "Abc🌍", 5), // a replay from offset 0 that goes further
      sectionText(1, "d", 6),
      { type: "section-state", section: 1, part: 1, parts: 1, state: "writing", length: 6 },
      sectionText(5, "核心", 2, 2),
      { type: "tokens", inputTokens: 1, outputTokens: 2 },
    ]);
    expect(received.outline).toEqual(outline);
    expect(received.parts.get("1.1")).toEqual({ text: "Abc🌍d", state: "writing" });
    expect(received.parts.get("5.2")).toEqual({ text: "核心", state: null });
  });

  it("resumes each part from the longer text, sends readers what they lack, and queues every unfinished part", () => {
    const checkpoint: ParallelProgress = {
      outline,
      parts: [
        part(0, "complete", "# Caché 🦀\n\ns\n\n"),
        part(1, "writing", "## 1. Context\n\nThe checkpoint is 🌍 ahead"),
        part(2, "writing", "## 2. Approaches\n\nbehind"),
        part(3, "failed", "## 3. Partial"),
        part(4, "queued", ""),
      ],
    };
    const received = receivedParallel([
      { type: "outline", outline },
      sectionText(0, "# Caché 🦀\n\ns\n\n", "# Caché 🦀\n\ns\n\n".length),
      { type: "section-state", section: 0, part: 1, parts: 1, state: "complete", length: 15 },
      sectionText(1, "## 1. Context\n\nThe checkpoint", 29),
      sectionText(2, "## 2. Approaches\n\nbehind the log, complete\n\n", 44),
      { type: "section-state", section: 2, part: 1, parts: 1, state: "complete", length: 44 },
    ]);
    const { progress, catchUp } = resumeParallel(checkpoint, received);

    expect(progress.parts.map((p) => [p.section, p.state, p.text])).toEqual([
      [0, "complete", "# Caché 🦀\n\ns\n\n"],
      [1, "queued", "## 1. Context\n\nThe checkpoint is 🌍 ahead"],
      [2, "complete", "## 2. Approaches\n\nbehind the log, complete\n\n"],
      [3, "queued", "## 3. Partial"],
      [4, "queued", ""],
    ]);
    expect(progress.parts.every((p) => p.error === null)).toBe(true);
    // Readers get exactly the missing tail of each channel, ending at the part's length in UTF-16 units.
    const texts = catchUp.filter((event) => event.type === "section-text");
    expect(texts).toEqual([
      { type: "section-text", section: 1, part: 1, delta: " is 🌍 ahead", offset: "## 1. Context\n\nThe checkpoint is 🌍 ahead".length },
      { type: "section-text", section: 3, part: 1, delta: "## 3. Partial", offset: 13 },
    ]);
    // The outline was received already; every part's new state is sent.
    expect(catchUp.some((event) => event.type === "outline")).toBe(false);
    expect(catchUp.filter((event) => event.type === "section-state").map((event) => [event.section, event.state])).toEqual([
      [0, "complete"],
      [1, "queued"],
      [2, "complete"],
      [3, "queued"],
      [4, "queued"],
    ]);
    // The document text continues what readers of `text` had (complete parts, then the first unfinished one).
    expect(documentText(progress.parts, false)).toBe("# Caché 🦀\n\ns\n\n## 1. Context\n\nThe checkpoint is 🌍 ahead");
  });

  it("keeps readers' text where the checkpoint disagrees, and sends the outline readers never got", () => {
    const checkpoint: ParallelProgress = { outline, parts: [part(0, "complete", "# T\n\n"), part(1, "writing", "## 1. Other words")] };
    const received = receivedParallel([sectionText(0, "# T\n\n", 5), sectionText(1, "## 1. Context", 13)]);
    const { progress, catchUp } = resumeParallel(checkpoint, received);
    expect(progress.parts[1]).toMatchObject({ text: "## 1. Context", state: "queued" });
    expect(progress.parts[0]).toMatchObject({ state: "complete" });
    expect(catchUp[0]).toEqual({ type: "outline", outline });
    expect(catchUp.filter((event) => event.type === "section-text")).toEqual([]);
  });

  it("without anything received (no shared log), resumes from the checkpoint as Continue does", () => {
    const checkpoint: ParallelProgress = { outline: null, parts: [part(0, "writing", "# Half"), part(1, "queued", "")] };
    const { progress } = resumeParallel(checkpoint, receivedParallel([]));
    expect(progress.outline).toBeNull();
    expect(progress.parts.map((p) => [p.state, p.text])).toEqual([
      ["queued", "# Half"],
      ["queued", ""],
    ]);
  });
});
