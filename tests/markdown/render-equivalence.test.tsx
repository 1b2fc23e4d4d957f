import Markdown from "react-markdown";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownBlocksView } from "@/components/markdown/MarkdownBlocksView";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { markdownOptions } from "@/components/markdown/markdown-options";
import { MarkdownBlockSplitter, splitMarkdownBlocks } from "@/lib/markdown/blocks";
import { fixtureDocuments } from "./fixtures";

function oneShot(text: string): string {
  return renderToStaticMarkup(
    <div className="md-preview" data-testid="markdown-preview">
      <Markdown {...markdownOptions}>{text}</Markdown>
    </div>,
  );
}

function renderSplitter(splitter: MarkdownBlockSplitter, text: string, streaming: boolean): string {
  return renderToStaticMarkup(<MarkdownBlocksView blocks={splitter} markdown={text} streaming={streaming} />);
}

/** Deterministic irregular chunking, like a real token stream. */
function irregularChunks(text: string, seed: number): string[] {
  const chunks: string[] = [];
  let state = seed;
  for (let i = 0; i < text.length; ) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % 9);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

const documents = Object.entries(fixtureDocuments);

describe("final render equals a one-shot render", () => {
  it.each(documents)("MarkdownPreview(streaming=false) on %s", (_name, text) => {
    expect(renderToStaticMarkup(<MarkdownPreview markdown={text} streaming={false} />)).toBe(oneShot(text));
  });

  it.each(documents)("after streaming %s at every chunking", (_name, text) => {
    const expected = oneShot(text);
    const chunkings = [1, 2, 3, 4, 7, 16, 100].map((size) => {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      return chunks;
    });
    chunkings.push(irregularChunks(text, 1), irregularChunks(text, 2));
    for (const chunks of chunkings) {
      const splitter = new MarkdownBlockSplitter();
      for (const chunk of chunks) splitter.append(chunk);
      expect(renderSplitter(splitter, text, false)).toBe(expected);
    }
  });

  it("really renders several blocks (so the equality above is not trivial)", () => {
    const text = fixtureDocuments.generatedSmall ?? "";
    expect(splitMarkdownBlocks(text).length).toBeGreaterThan(20);
    expect(oneShot(text)).toContain('<pre tabindex="0"><code class="hljs language-ts">');
  });

  it("would detect a wrong split (loose list split in two)", () => {
    const text = "- a\n\n- b\n";
    const wrong = renderToStaticMarkup(
      <MarkdownBlocksView blocks={{ stableBlocks: ["- a\n\n"], tail: "- b\n", hasDocumentGlobalDefinitions: false, openFenceInTail: null }} markdown={text} streaming={false} />,
    );
    expect(wrong).not.toBe(oneShot(text));
  });
});

describe("streaming renders", () => {
  it("render every intermediate state without throwing and keep the stable prefix", () => {
    const text = fixtureDocuments.codeHeavy ?? "";
    const splitter = new MarkdownBlockSplitter();
    for (const chunk of irregularChunks(text, 5)) {
      splitter.append(chunk);
      const html = renderSplitter(splitter, text, true);
      expect(html.startsWith('<div class="md-preview" data-testid="markdown-preview">')).toBe(true);
    }
  });

  it("shows an unclosed fence as a highlighted code block in progress", () => {
    const html = renderToStaticMarkup(<MarkdownPreview markdown={"# T\n\n```ts\nconst a = 1"} streaming />);
    expect(html).toContain('<code class="hljs language-ts"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span>');
    expect(html).not.toContain("```");
  });

  it("does not flash raw emphasis or a table header without its delimiter row", () => {
    const bold = renderToStaticMarkup(<MarkdownPreview markdown={"Some **bol"} streaming />);
    expect(bold).toContain("<strong>bol</strong>");
    const table = renderToStaticMarkup(<MarkdownPreview markdown={"Intro\n\n| a | b |\n|--"} streaming />);
    expect(table).not.toContain("|");
  });
});
