import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { safeUrl } from "@/lib/markdown/safe-url";

const render = (markdown: string, streaming = false) =>
  renderToStaticMarkup(<MarkdownPreview markdown={markdown} streaming={streaming} />);

describe("untrusted model output renders inert", () => {
  it.each([false, true])("drops raw HTML and <script> (streaming=%s)", (streaming) => {
    const html = render('Hi <b onclick="x()">there</b>\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src="https://evil"></iframe>\n', streaming);
    expect(html).not.toMatch(/<script|<img|<iframe|onclick|onerror|<b>/i);
    expect(html).toContain("there");
  });

  it.each([
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
  ])("neutralises dangerous link %s", (markdown) => {
    const html = render(markdown);
    // The URL may remain visible as plain text (an autolink's label), but never as a link target.
    expect(html).not.toMatch(/href=/);
    expect(html).toContain('class="md-link-removed"');
  });

  it("keeps safe links and marks external ones", () => {
    const html = render("[a](https://example.com/x) [b](/docs/y) [c](#z) [d](mailto:a@b.c)");
    expect(html).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow">a</a>');
    expect(html).toContain('<a href="/docs/y">b</a>');
    expect(html).toContain('<a href="#z">c</a>');
    expect(html).toContain('href="mailto:a@b.c"');
  });

  it.each([false, true])("renders images as text, never <img> or a preload (streaming=%s)", (streaming) => {
    const html = render("![tracking pixel](https://evil.example/beacon.gif)\n\n![][ref]\n\n[ref]: https://evil.example/2.png\n", streaming);
    expect(html).not.toMatch(/<img|<link|evil\.example/);
    expect(html).toContain("[image: tracking pixel]");
  });
});

describe("safeUrl", () => {
  it.each([
    ["https://a.b/c", "https://a.b/c"],
    ["/relative:path", "/relative:path"],
    ["page?x=a:b", "page?x=a:b"],
    ["javascript:alert(1)", ""],
    [" javascript:alert(1)", ""],
    ["data:image/png;base64,AAAA", ""],
    ["file:///etc/passwd", ""],
  ])("%s -> %s", (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });
});
