import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importSection5, LIBRARY_DIR, section5JavaScript } from "@/tests/support/library-section5";

const doc = (section5: string): string =>
  [
    "# Topic",
    "## 4. Correct Design & Algorithm",
    "```ts",
    "export const before = 1;",
    "```",
    "## 5. Full Production-Grade Implementation",
    section5,
    "## 6. Correct Usage Patterns (Where This Shines)",
    "```ts",
    "export const after = 1;",
    "```",
  ].join("\n");

describe("section 5 loader", () => {
  it("turns the section's ts blocks into one module with the types erased", () => {
    const js = section5JavaScript(
      doc(["```ts", "export interface Box { n: number }", "export const double = (b: Box): number => b.n * 2;", "```"].join("\n")),
      "box.md",
    );
    expect(js).toContain("export const double = (b) => b.n * 2;");
    expect(js).not.toContain("interface");
    expect(js).not.toContain("before");
    expect(js).not.toContain("after");
  });

  it("refuses a document without section 5 code, and code that does not parse", () => {
    expect(() => section5JavaScript(doc("No code here."), "empty.md")).toThrow(/no ```ts blocks in section 5/);
    expect(() => section5JavaScript(doc("```ts\nexport const x = (;\n```"), "broken.md")).toThrow(/broken\.md: section 5 does not parse/);
  });

  it("imports the module, with node builtins and installed packages resolved, and runs it", async () => {
    const markdown = doc(
      [
        "```ts",
        'import { createHash } from "node:crypto";',
        'import Redis from "ioredis";',
        "export const digest = (s: string): string => createHash(\"sha256\").update(s).digest(\"hex\").slice(0, 8);",
        'export const clientName: string = typeof Redis === "function" ? Redis.name : "missing";',
        "```",
        "Text between blocks.",
        "```typescript",
        "export class Counter { private n = 0; next(): number { return ++this.n; } }",
        "```",
      ].join("\n"),
    );
    const mod = await importSection5<{ digest(s: string): string; clientName: string; Counter: new () => { next(): number } }>(
      "loader-self-test.md",
      markdown,
    );
    expect(mod.digest("abc")).toBe("ba7816bf");
    expect(mod.clientName).toBe("Redis");
    const counter = new mod.Counter();
    expect([counter.next(), counter.next()]).toEqual([1, 2]);
  });

  it.each(readdirSync(LIBRARY_DIR).filter((f) => f.endsWith(".md")))("loads %s and finds its exports", async (file) => {
    const mod = await importSection5<Record<string, unknown>>(file);
    expect(Object.values(mod).filter((value) => typeof value === "function").length).toBeGreaterThan(2);
  });
});
