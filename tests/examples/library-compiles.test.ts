import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTypeScript, extractSection5TypeScript } from "@/lib/examples/typecheck/compile-section5";

const LIBRARY_DIR = fileURLToPath(new URL("../../lib/examples/library/", import.meta.url));
const docs = readdirSync(LIBRARY_DIR)
  .filter((f) => f.endsWith(".md"))
  .sort();

describe("example library: section 5 compiles under tsc --strict", () => {
  it("finds example documents", () => {
    expect(docs.length).toBeGreaterThan(0);
  });

  for (const doc of docs) {
    it(doc, () => {
      const markdown = readFileSync(path.join(LIBRARY_DIR, doc), "utf8");
      const source = extractSection5TypeScript(markdown);
      expect(source.trim().length, `${doc}: no \`\`\`ts blocks found in "## 5." section`).toBeGreaterThan(0);
      const result = compileTypeScript(source, doc);
      expect(result.diagnostics, `${doc} section 5 does not compile:\n${result.diagnostics.join("\n")}`).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});

describe("compile check itself", () => {
  it("extracts only ts/typescript blocks of section 5, ignoring headings inside fences", () => {
    const md = [
      "# Topic",
      "## 4. Correct Design & Algorithm",
      "```ts",
      "const before = 1;",
      "```",
      "## 5. Full Production-Grade Implementation",
      "```ts",
      "export const a = 1;",
      "## not a heading, inside a fence",
      "```",
      "```text",
      "+---+ --> diagram",
      "```",
      "```typescript",
      "export const b: number = a + 1;",
      "```",
      "```js",
      "const ignored = 1;",
      "```",
      "## 6. Correct Usage Patterns (Where This Shines)",
      "```ts",
      "const after = 1;",
      "```",
    ].join("\n");
    expect(extractSection5TypeScript(md)).toBe(
      "export const a = 1;\n## not a heading, inside a fence\nexport const b: number = a + 1;",
    );
    expect(extractSection5TypeScript("# T\n## 4. x\n```ts\nconst x = 1;\n```\n")).toBe("");
  });

  it("fails on a snippet with a type error and reports the diagnostic", () => {
    const result = compileTypeScript(
      'export async function load(signal: AbortSignal): Promise<number> {\n  const n: number = "42";\n  return n;\n}\n',
      "negative.md",
    );
    expect(result.ok).toBe(false);
    expect(result.diagnostics.join("\n")).toMatch(/negative\.ts\(2,9\): TS2322/);
  });

  it("fails under strict mode (implicit any, possibly-undefined) and on unknown modules", () => {
    const implicitAny = compileTypeScript("export function f(x) { return x; }\n", "implicit-any.md");
    expect(implicitAny.diagnostics.join("\n")).toMatch(/TS7006/);
    const missing = compileTypeScript('import { x } from "no-such-client-library";\nexport const y = x;\n', "missing.md");
    expect(missing.diagnostics.join("\n")).toMatch(/TS2307/);
  });

  it("accepts a valid snippet using node builtins, fetch/AbortSignal and declared client libraries", () => {
    const result = compileTypeScript(
      [
        'import { setTimeout as sleep } from "node:timers/promises";',
        'import { Pool } from "pg";',
        "export async function ok(url: string, pool: Pool): Promise<number> {",
        "  await sleep(1);",
        "  const res = await fetch(url, { signal: AbortSignal.timeout(100) });",
        "  const r = await pool.query<{ n: number }>('select 1 as n');",
        "  return res.status + (r.rows[0]?.n ?? 0);",
        "}",
      ].join("\n"),
      "positive.md",
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
