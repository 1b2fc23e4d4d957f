import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { highlightCode } from "@/components/markdown/code-highlighter";
import { IncrementalHighlighter } from "@/components/markdown/incremental-highlighter";
import { renderTokens } from "@/components/markdown/StreamingCodeBlock";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";

const html = (tokens: Parameters<typeof renderTokens>[0]) => renderToStaticMarkup(<>{renderTokens(tokens)}</>);

const TS = `/**
 * Multi-line comment
 */
export async function limit(key: string): Promise<boolean> {
  const count = await redis.incr(\`rate:\${key}
:suffix\`);
  if (count === 1) {
    await redis.expire(key, 60); // one minute
  }
  return count <= LIMIT && key !== "x\\"y";
}
`;

describe("IncrementalHighlighter", () => {
  it.each([
    ["ts", TS],
    ["python", 'def f(x):\n    """doc\n    string"""\n    return x * 2  # twice\n'],
    ["xml", '<div class="a">\n  <script>\n    let a = 1;\n  </script>\n</div>\n'],
    ["text", "+---+\n| a |\n+---+\n"],
  ])("matches a one-shot highlight of %s at every prefix", (language, code) => {
    const highlighter = new IncrementalHighlighter();
    for (let end = 1; end <= code.length; end++) {
      const prefix = code.slice(0, end);
      const { segments, live } = highlighter.update(prefix, language);
      const incremental = segments.map((s) => html(s.tokens)).join("") + html(live);
      expect(incremental, `prefix of ${end} chars`).toBe(html(highlightCode(prefix, language).tokens));
    }
  });

  it("does not re-highlight finished lines", () => {
    const code = TS.repeat(20);
    const highlighter = new IncrementalHighlighter();
    for (let end = 1; end <= code.length; end += 3) highlighter.update(code.slice(0, end), "ts");
    const updates = Math.ceil(code.length / 3);
    // Re-highlighting everything would cost ~updates * length / 2 characters.
    expect(highlighter.highlightedCharCount).toBeLessThan(updates * 200);
    expect(highlighter.highlightedCharCount).toBeLessThan((updates * code.length) / 20);
  });

  it("keeps segment objects stable across updates (memoized rendering)", () => {
    const highlighter = new IncrementalHighlighter();
    const first = highlighter.update("const a = 1;\nconst b", "ts").segments[0];
    const again = highlighter.update("const a = 1;\nconst b = 2;\nlet", "ts").segments[0];
    expect(first).toBeDefined();
    expect(again).toBe(first);
  });

  it("starts over for a different language or text", () => {
    const highlighter = new IncrementalHighlighter();
    highlighter.update("const a = 1;\n", "ts");
    expect(highlighter.update("x = 1\n", "python").segments.map((s) => s.code)).toEqual(["x = 1\n"]);
  });
});

describe("streaming code fence view", () => {
  it.each([
    "# T\n\n```ts\nconst a = 1",
    "# T\n\n```ts\n/* a\nb */\nconst s = `x\ny`;\nlet q\n",
    "Intro:\n```python\ndef f():\n    return 1\n",
    "```unknownlang\nsome text\n",
    "```\nplain\n",
  ])("looks like the finished block: %j", (markdown) => {
    const streamed = renderToStaticMarkup(<MarkdownPreview markdown={markdown} streaming />);
    const closed = markdown.endsWith("\n") ? markdown + "```\n" : markdown + "\n```\n";
    const finished = renderToStaticMarkup(<MarkdownPreview markdown={closed} streaming={false} />);
    expect(streamed).toBe(finished);
  });

  it("hides a half-written closing fence", () => {
    const html = renderToStaticMarkup(<MarkdownPreview markdown={"```ts\nconst a = 1;\n``"} streaming />);
    expect(html).not.toContain("``");
  });
});
