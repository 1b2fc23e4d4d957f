/** Badges under the preview's code blocks, from a real type-check result. */
import Markdown from "react-markdown";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, describe, expect, it } from "vitest";
import { markdownOptions } from "@/components/markdown/markdown-options";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { sharedTypecheckWorker, typecheckDocument } from "@/lib/typecheck/check-document";

afterAll(async () => {
  await sharedTypecheckWorker().close();
});

const markdown = [
  "# Rate Limiting",
  "## 2. The Naive / Incorrect Approaches",
  "```ts\nconst limit: number = '10';\n```",
  "```js\nconst untouched = 1;\n```",
  "## 5. Full Production-Grade Implementation",
  '```typescript\nimport { Redis } from "ioredis";\nexport async function allow(redis: Redis, key: string): Promise<boolean> {\n  const n = await redis.incr(key);\n  return n <= 10;\n}\n```',
  "- Wiring, inside a list item:\n\n  ```ts\n  export const windowMs = 1_000;\n  ```",
  "## 6. Correct Usage Patterns",
  "Text.",
].join("\n\n");

const badges = (html: string) => [...html.matchAll(/data-testid="typecheck-badge" data-status="(\w+)"/g)].map((m) => m[1]);

describe("type-check badges in the preview", () => {
  it("one badge per checked block: ✓, or the errors with their line numbers", async () => {
    const result = await typecheckDocument(markdown);
    const html = renderToStaticMarkup(<MarkdownPreview markdown={markdown} streaming={false} typecheck={result} />);
    expect(badges(html)).toEqual(["errors", "ok", "ok"]);
    expect(html).toContain("1 type error");
    expect(html).toMatch(/line 1: TS2322 Type &#x27;string&#x27; is not assignable to type &#x27;number&#x27;/);
    expect(html).toContain("Type-checks as part of section 5");
    // The badge follows its own block.
    expect(html.indexOf("1 type error")).toBeGreaterThan(html.indexOf("limit"));
    expect(html.indexOf("1 type error")).toBeLessThan(html.indexOf("untouched"));
  });

  it("without a result, or with one for other text, the markup is that of a plain render", async () => {
    const plain = renderToStaticMarkup(
      <div className="md-preview" data-testid="markdown-preview">
        <Markdown {...markdownOptions}>{markdown}</Markdown>
      </div>,
    );
    expect(renderToStaticMarkup(<MarkdownPreview markdown={markdown} streaming={false} />)).toBe(plain);
    const stale = await typecheckDocument(markdown + "\nmore");
    expect(renderToStaticMarkup(<MarkdownPreview markdown={markdown} streaming={false} typecheck={stale} />)).toBe(plain);
  });
});
