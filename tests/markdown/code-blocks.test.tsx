import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { isDiagram } from "@/components/markdown/CodeFrame";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";

const library = readFileSync("lib/examples/library/circuit-breaker.md", "utf8");
const fenceLanguages = (markdown: string) => [...markdown.matchAll(/^```([^\s`]*)[^\n]*\n[\s\S]*?^```\s*$/gm)].map((match) => match[1] || "text");

describe("code blocks", () => {
  it("every fence gets a frame with its language and a copy button, and a focusable <pre>", () => {
    const html = renderToStaticMarkup(<MarkdownPreview markdown={library} streaming={false} />);
    const languages = fenceLanguages(library);
    expect(languages.length).toBeGreaterThan(5);
    expect([...html.matchAll(/<div class="md-code" data-language="([^"]+)"/g)].map((match) => match[1])).toEqual(languages);
    expect(html.match(/class="md-copy"/g)).toHaveLength(languages.length);
    expect(html.match(/<pre tabindex="0">/g)).toHaveLength(languages.length);
    expect(html).toContain('aria-label="Copy ts code"');
  });

  it("the streaming block has the same frame while it grows", () => {
    const html = renderToStaticMarkup(<MarkdownPreview markdown={"Intro\n\n```python\ndef f():\n    return 1"} streaming />);
    expect(html).toMatch(/<div class="md-code" data-language="python" data-kind="code"><div class="md-code-bar"><span class="md-code-language">python<\/span><button type="button" class="md-copy" aria-label="Copy python code">Copy<\/button><\/div><pre tabindex="0">/);
  });

  it("a hostile fence label cannot leave the attribute or add markup", () => {
    const html = renderToStaticMarkup(<MarkdownPreview markdown={'```"><img src=x onerror=alert(1)>\ncode\n```\n'} streaming={false} />);
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/data-language="[^"]*"[^>]*onerror/);
  });

  it("tells ASCII diagrams (plain fences with box drawing or +--+ art) from code", () => {
    expect(isDiagram("", "┌────┐\n│ A  │\n└────┘")).toBe(true);
    expect(isDiagram("text", "client --> +-------+\n          | cache |\n          +-------+")).toBe(true);
    expect(isDiagram("ts", "┌──┐")).toBe(false);
    expect(isDiagram("", "npm install\nnpm test")).toBe(false);
    const html = renderToStaticMarkup(<MarkdownPreview markdown={library} streaming={false} />);
    expect(html).toContain('data-kind="diagram"');
  });

  it("task-list checkboxes have a name", () => {
    const html = renderToStaticMarkup(<MarkdownPreview markdown={"- [ ] open\n- [x] done\n"} streaming={false} />);
    expect(html).toContain('aria-label="Not done"');
    expect(html).toContain('aria-label="Done"');
  });
});
