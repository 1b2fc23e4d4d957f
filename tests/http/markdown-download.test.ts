import { describe, expect, it } from "vitest";
import { markdownDownload } from "@/lib/http/markdown-download";

describe("markdownDownload", () => {
  it("is the Markdown as a UTF-8 attachment named after the topic, never cached or sniffed", async () => {
    const markdown = `# 限流 🚦\n\n${"x".repeat(17_000)}`;
    const response = markdownDownload(markdown, "限流 Rate Limiting");
    expect(await response.text()).toBe(markdown);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="rate-limiting.md"; filename*=UTF-8''%E9%99%90%E6%B5%81-rate-limiting.md`,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("names an earlier version by its number", () => {
    expect(markdownDownload("# x", "Circuit Breaker", 2).headers.get("content-disposition")).toContain('filename="circuit-breaker-v2.md"');
  });
});
