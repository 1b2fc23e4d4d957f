import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firstParagraphText, truncateText } from "@/lib/markdown/first-paragraph";

describe("first paragraph as plain text (og:description)", () => {
  it("takes the first paragraph after the title and strips Markdown syntax", () => {
    const markdown = "# Title\n\n> quote first\n\nA **bold** claim with `code`, [a link](https://x.test) and ~~strike~~ text.\n\nSecond paragraph.";
    expect(firstParagraphText(markdown)).toBe("A bold claim with code, a link and strike text.");
  });

  it("drops raw HTML and images instead of unescaping them", () => {
    const markdown = '# T\n\nSafe <script>alert(1)</script> text <img src=x onerror="alert(2)"> and ![alt](http://x.test/a.png) end.';
    const text = firstParagraphText(markdown)!;
    expect(text).toBe("Safe alert(1) text and end.");
    expect(text).not.toMatch(/[<>]/);
  });

  it("skips a paragraph that is only HTML or an image", () => {
    expect(firstParagraphText("<div>html block</div>\n\n![only](x.png)\n\nReal text.")).toBe("Real text.");
  });

  it("removes control characters and bidi overrides, keeps emoji and other scripts", () => {
    expect(firstParagraphText("Rate\u0007 limiting \u202Egnirts\u202C for 👨‍👩‍👧 teams 限流")).toBe("Rate limiting gnirts for 👨‍👩‍👧 teams 限流");
  });

  it("returns null when there is no paragraph", () => {
    expect(firstParagraphText("# Only a heading\n\n```\ncode\n```\n")).toBeNull();
    expect(firstParagraphText("")).toBeNull();
  });

  it("cuts long text at a word boundary and never inside an emoji", () => {
    const long = `${"word ".repeat(60)}end`;
    const cut = truncateText(long, 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/^(word ){8}word…$/);
    const emoji = "😀".repeat(40);
    const cutEmoji = truncateText(emoji, 21);
    expect(cutEmoji).toBe(`${"😀".repeat(10)}…`);
    expect(cutEmoji.isWellFormed()).toBe(true);
  });

  it("reads a library document over 16 KB, and a head window that would cut a surrogate pair", () => {
    const library = readFileSync("lib/examples/library/circuit-breaker.md", "utf8");
    expect(library.length).toBeGreaterThan(16_384);
    const text = firstParagraphText(library)!;
    expect(text.startsWith("A circuit breaker measures the outcomes of calls")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.endsWith("…")).toBe(true);
    const padded = `# T\n\n${"x".repeat(16_383 - 5)}😀 tail`;
    expect(firstParagraphText(padded, 20_000)!.isWellFormed()).toBe(true);
  });
});
