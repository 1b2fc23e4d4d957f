import { describe, expect, it } from "vitest";
import { MarkdownBlockSplitter, splitMarkdownBlocks } from "@/lib/markdown/blocks";
import { fixtureDocuments } from "./fixtures";

function feed(text: string, chunkSize: number): MarkdownBlockSplitter {
  const splitter = new MarkdownBlockSplitter();
  for (let i = 0; i < text.length; i += chunkSize) splitter.append(text.slice(i, i + chunkSize));
  return splitter;
}

const CHUNK_SIZES = [1, 2, 3, 4, 5, 7, 13, 64, 1000];

describe("splitMarkdownBlocks", () => {
  it.each(Object.entries(fixtureDocuments))("concatenation reproduces %s exactly", (_name, text) => {
    expect(splitMarkdownBlocks(text).join("")).toBe(text);
  });

  it("splits at blank lines between independent blocks", () => {
    expect(splitMarkdownBlocks("# A\n\npara\n\n## B\ntext\n")).toEqual(["# A\n\n", "para\n\n", "## B\ntext\n"]);
  });

  it("actually splits realistic documents into many blocks", () => {
    expect(splitMarkdownBlocks(fixtureDocuments.generatedLarge ?? "").length).toBeGreaterThan(50);
  });

  it("does not split inside fenced code (backticks, tildes, longer fences)", () => {
    const text = "```ts\na\n\nb\n```\n\n~~~\nc\n\n~~~\n\n````md\n```\n\nx\n```\n\ny\n````\n\nend\n";
    expect(splitMarkdownBlocks(text)).toEqual(["```ts\na\n\nb\n```\n\n", "~~~\nc\n\n~~~\n\n", "````md\n```\n\nx\n```\n\ny\n````\n\n", "end\n"]);
  });

  it("a shorter or different-character run does not close a fence", () => {
    expect(splitMarkdownBlocks("````\n```\n\n~~~~\n\ntext\n")).toEqual(["````\n```\n\n~~~~\n\ntext\n"]);
  });

  it("treats a closer with trailing spaces as a closer, and text after the run as content", () => {
    expect(splitMarkdownBlocks("```\na\n```   \n\nb\n")).toEqual(["```\na\n```   \n\n", "b\n"]);
    expect(splitMarkdownBlocks("```\na\n``` x\n\nb\n")).toEqual(["```\na\n``` x\n\nb\n"]);
  });

  it("inline code with triple backticks is not a fence opener", () => {
    expect(splitMarkdownBlocks("```a``` inline\n\nnext\n")).toEqual(["```a``` inline\n\n", "next\n"]);
  });

  it("keeps an unclosed fence to the end in one block", () => {
    expect(splitMarkdownBlocks("intro\n\n```ts\nconst a = 1;\n\n\nconst b")).toEqual(["intro\n\n", "```ts\nconst a = 1;\n\n\nconst b"]);
  });

  it("does not split before indented lines or list items (list continuation, loose lists, indented code)", () => {
    expect(splitMarkdownBlocks("- a\n\n  more a\n\n- b\n")).toHaveLength(1);
    expect(splitMarkdownBlocks("1. a\n\n2. b\n")).toHaveLength(1);
    expect(splitMarkdownBlocks("    code\n\n    code\n")).toHaveLength(1);
    expect(splitMarkdownBlocks("para\n\n\tcode\n")).toHaveLength(1);
  });

  it("does not split inside multi-paragraph HTML comments or <script> blocks", () => {
    expect(splitMarkdownBlocks("<!-- a\n\nb -->\n\nc\n")).toEqual(["<!-- a\n\nb -->\n\n", "c\n"]);
    expect(splitMarkdownBlocks("<script>\nx\n\ny\n</script>\n\nz\n")).toEqual(["<script>\nx\n\ny\n</script>\n\n", "z\n"]);
    expect(splitMarkdownBlocks("<!-- one line -->\n\nc\n")).toEqual(["<!-- one line -->\n\n", "c\n"]);
  });

  it("falls back to one block from a footnote or link reference definition on", () => {
    const blocks = splitMarkdownBlocks("a [x]\n\nb\n\n[x]: https://e.com\n\nc\n\nd\n");
    expect(blocks).toEqual(["a [x]\n\n", "b\n\n", "[x]: https://e.com\n\nc\n\nd\n"]);
    const splitter = feed("a[^1]\n\n[^1]: note\n\nmore\n", 3);
    expect(splitter.hasDocumentGlobalDefinitions).toBe(true);
    expect(splitter.tail).toBe("[^1]: note\n\nmore\n");
  });

  it("sees a definition on the unfinished last line", () => {
    const splitter = feed("See [x][r]\n\n[r]: https://e.com", 4);
    expect(splitter.hasDocumentGlobalDefinitions).toBe(true);
  });

  it("closes a block as soon as the next line's first characters show a new block", () => {
    const splitter = feed("```ts\nconst a = 1;\n```\n\n## Nex", 3);
    expect(splitter.stableBlocks).toEqual(["```ts\nconst a = 1;\n```\n\n"]);
    expect(splitter.tail).toBe("## Nex");
    const undecided = feed("para\n\n1", 1);
    expect(undecided.stableBlocks).toEqual([]);
    undecided.append(". item\n");
    expect(undecided.stableBlocks).toEqual([]);
  });

  it("keeps leading blank lines with the first block (an empty block would add a separator)", () => {
    expect(splitMarkdownBlocks("\n\n# T\n\nx\n")).toEqual(["\n\n# T\n\n", "x\n"]);
  });
});

describe("MarkdownBlockSplitter (incremental)", () => {
  it.each(Object.entries(fixtureDocuments))("gives the one-shot split for %s at every chunk size", (_name, text) => {
    const oneShot = splitMarkdownBlocks(text);
    for (const size of CHUNK_SIZES) {
      const splitter = feed(text, size);
      const blocks = [...splitter.stableBlocks, splitter.tail].filter((b) => b.length > 0);
      expect(blocks, `chunk size ${size}`).toEqual(oneShot);
      expect(splitter.stableBlocks.join("") + splitter.tail).toBe(text);
      expect(splitter.length).toBe(text.length);
    }
  });

  it("never changes a block once it is stable", () => {
    const text = fixtureDocuments.generatedLarge ?? "";
    const splitter = new MarkdownBlockSplitter();
    const seen: string[] = [];
    const changed: string[] = [];
    for (let i = 0; i < text.length; i += 4) {
      splitter.append(text.slice(i, i + 4));
      const stable = splitter.stableBlocks;
      if (stable.length < seen.length) changed.push(`block count shrank at ${i}`);
      for (let b = 0; b < seen.length; b++) if (stable[b] !== seen[b]) changed.push(`block ${b} changed at ${i}`);
      for (let b = seen.length; b < stable.length; b++) seen.push(stable[b] ?? "");
    }
    expect(changed).toEqual([]);
    expect(seen.length).toBeGreaterThan(50);
  });

  it("scans each character a bounded number of times, however small the chunks", () => {
    const text = fixtureDocuments.generatedLarge ?? "";
    const byChar = feed(text, 1);
    const oneShot = feed(text, text.length);
    // Each char is seen once by the newline search and once when its line is classified.
    expect(byChar.scannedCharCount).toBeLessThanOrEqual(2 * text.length);
    expect(byChar.scannedCharCount).toBe(oneShot.scannedCharCount);
  });

  it("does work proportional to the appended text, not to the document", () => {
    const splitter = feed(fixtureDocuments.generatedLarge ?? "", 4096);
    const before = splitter.scannedCharCount;
    splitter.append("\n\nA new paragraph line\n");
    expect(splitter.scannedCharCount - before).toBeLessThan(100);
  });

  it("reports whether the tail is inside an open fence", () => {
    const splitter = feed("text\n\n```ts\nconst a\n", 2);
    expect(splitter.insideFence).toBe(true);
    splitter.append("```\n");
    expect(splitter.insideFence).toBe(false);
  });
});
