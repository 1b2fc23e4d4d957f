import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownBlocksView } from "@/components/markdown/MarkdownBlocksView";
import { MarkdownBlockSplitter } from "@/lib/markdown/blocks";
import { fixtureDocuments } from "./fixtures";

/** Renders only the tail (stable blocks are final text, already covered elsewhere). */
function renderTail(splitter: MarkdownBlockSplitter, text: string): string {
  const blocks = {
    stableBlocks: [],
    tail: splitter.tail,
    hasDocumentGlobalDefinitions: splitter.hasDocumentGlobalDefinitions,
    openFenceInTail: splitter.openFenceInTail,
  };
  return renderToStaticMarkup(<MarkdownBlocksView blocks={blocks} markdown={text} streaming />);
}

describe("streaming never flashes raw Markdown syntax", () => {
  it("at any character of a generated design doc", () => {
    // The generated doc uses **, _, `code`, [links](…), tables and fences, but never shows those markers literally.
    const text = fixtureDocuments.generatedSmall ?? "";
    const splitter = new MarkdownBlockSplitter();
    const flashes: string[] = [];
    // 2-char chunks: every other prefix (1-char steps take ~30 s on a slow CI box).
    for (let i = 1; i < text.length; i += 2) {
      splitter.append(text.slice(i - 1, i + 1));
      const html = renderTail(splitter, text);
      const visible = html.replace(/<[^>]*>/g, "");
      for (const marker of ["**", "```", "](", "[", "_", "|---", "| Component"]) {
        if (visible.includes(marker)) flashes.push(`${JSON.stringify(marker)} after ${i + 1} chars: …${JSON.stringify(text.slice(Math.max(0, i - 30), i + 1))}`);
      }
    }
    expect(flashes.slice(0, 10)).toEqual([]);
  }, 60_000);
});
