/**
 * The product's type checker against the real compiler in the real worker thread, with the real
 * type packages from node_modules.
 */
import { afterAll, describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { blockKey, typeScriptBlocks } from "@/lib/typecheck/blocks";
import { sharedTypecheckWorker, typecheckDocument, unavailableResult } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { TYPE_PACKAGES } from "@/lib/typecheck/type-packages";
import { typecheckVerdict } from "@/lib/typecheck/verdict";
import packageJson from "@/package.json";

afterAll(async () => {
  await sharedTypecheckWorker().close();
});

const ts = (code: string) => "```ts\n" + code + "\n```";

/** A document with sections 2 and 5 (the checker only cares where the blocks are). */
function doc({ section2 = [] as string[], section5 = [] as string[], before = "" }): string {
  return [
    "# Request Coalescing",
    before,
    "## 2. The Naive / Incorrect Approaches",
    ...section2.map(ts),
    "## 5. Full Production-Grade Implementation",
    ...section5.map(ts),
    "## 6. Correct Usage Patterns",
    "Text.",
  ].join("\n\n");
}

function section5Errors(result: TypecheckResult): string[] {
  return result.section5.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.block}:${d.line}:TS${d.code}`);
}

describe("section 5: one program, strict, real declarations", () => {
  it("reports a type error with its block, line in the block and line in the document", async () => {
    const markdown = doc({
      section5: [
        "export interface Product { id: string }",
        'export function load(): Product {\n  const n: number = "42";\n  return { id: String(n) };\n}',
      ],
    });
    const result = await typecheckDocument(markdown);
    expect(result.status).toBe("checked");
    expect(result.section5.blocks).toBe(2);
    expect(section5Errors(result)).toEqual(["1:2:TS2322"]);
    const [error] = result.section5.diagnostics;
    expect(markdown.split("\n")[(error?.documentLine ?? 0) - 1]).toBe('  const n: number = "42";');
    const block = result.blocks.find((b) => b.index === 1);
    expect(block).toMatchObject({ section: 5, checkedAs: "section-5", errors: 1 });
    expect(block?.diagnostics[0]).toMatchObject({ line: 2, code: 2322, severity: "error" });
    expect(result.blocks.find((b) => b.index === 0)?.errors).toBe(0);
    expect(typecheckVerdict(result)).toMatchObject({ met: false, pending: false, counts: true });
    expect(typecheckVerdict(result).reason).toMatch(/1 type error: block 2 line 2: TS2322/);
  });

  it("joins the blocks in order: a later block uses an earlier block's declarations; a repeated import is not a duplicate", async () => {
    const result = await typecheckDocument(
      doc({
        section5: [
          'import { Redis } from "ioredis";\nexport interface Lock { key: string; token: string }',
          'import { Redis } from "ioredis";\nexport async function acquire(redis: Redis, key: string): Promise<Lock | null> {\n  const ok = await redis.set(key, "t", "PX", 1000, "NX");\n  return ok === "OK" ? { key, token: "t" } : null;\n}',
        ],
      }),
    );
    expect(section5Errors(result)).toEqual([]);
    expect(typecheckVerdict(result)).toMatchObject({ met: true, pending: false });
  });

  it("uses the real ioredis, pg and express declarations (a misspelt method is an error)", async () => {
    const good = [
      'import { Redis } from "ioredis";',
      'import { Pool } from "pg";',
      'import express from "express";',
      "export async function handler(redis: Redis, pool: Pool, signal: AbortSignal): Promise<number> {",
      '  const r = await pool.query<{ n: number }>("select 1 as n");',
      '  const cached = await redis.get("k");',
      '  const res = await fetch("http://127.0.0.1", { signal: AbortSignal.any([signal, AbortSignal.timeout(100)]) });',
      "  return (r.rows[0]?.n ?? 0) + Number(cached) + res.status;",
      "}",
      "export const app = express();",
      'app.get("/x/:id", (req, res) => { res.json({ id: req.params.id }); });',
    ].join("\n");
    expect(section5Errors(await typecheckDocument(doc({ section5: [good] })))).toEqual([]);
    const misspelt = good.replace("redis.get(", "redis.gett(");
    const result = await typecheckDocument(doc({ section5: [misspelt] }));
    expect(result.section5.diagnostics.map((d) => d.code)).toContain(2551); // Property 'gett' does not exist. Did you mean 'get'?
  });

  it("fails under strict mode: implicit any", async () => {
    const result = await typecheckDocument(doc({ section5: ["export function f(x) { return x; }"] }));
    expect(section5Errors(result)).toEqual(["0:1:TS7006"]);
  });

  it("reports a syntax error", async () => {
    const result = await typecheckDocument(doc({ section5: ["export async function f(): Promise<void> {\n  await fetch(\"x\";\n}"] }));
    expect(result.section5.errors).toBeGreaterThan(0);
    expect(result.section5.diagnostics[0]?.line).toBe(2);
  });

  it("an import of an unknown package is advisory, never an error; so is a local module", async () => {
    const result = await typecheckDocument(
      doc({
        section5: [
          'import { retry } from "no-such-client-library";\nimport { config } from "./config";\nexport const y: number = retry(config);',
        ],
      }),
    );
    expect(result.section5.errors).toBe(0);
    expect(result.section5.advisories).toBe(2);
    expect(result.section5.unknownModules).toEqual(["./config", "no-such-client-library"]);
    const verdict = typecheckVerdict(result);
    expect(verdict.met).toBe(true);
    expect(verdict.reason).toMatch(/not checked: \.\/config, no-such-client-library/);
  });

  it("never resolves the app's own files or packages outside the list", async () => {
    const result = await typecheckDocument(
      doc({ section5: ['import { getStudio } from "@/lib/studio";\nimport next from "next";\nimport { Kysely } from "kysely";\nexport const all = [getStudio, next, Kysely];'] }),
    );
    expect(result.section5.unknownModules).toEqual(["@/lib/studio", "kysely", "next"]);
  });

  it("reads no file outside node_modules' declarations (the code is untrusted), and messages do not show server paths", async () => {
    const result = await typecheckDocument(
      doc({
        section5: [
          '/// <reference path="../lib/config/env.ts" />\n/// <reference path="/etc/passwd" />\nexport const env: number = getConfig();\nexport const redis: number = await import("ioredis");',
        ],
      }),
    );
    const messages = result.section5.diagnostics.map((d) => d.message);
    expect(messages.some((m) => /Cannot find name 'getConfig'/.test(m))).toBe(true);
    expect(messages.some((m) => /typeof import\("node_modules\/ioredis/.test(m))).toBe(true);
    expect(messages.join("\n")).not.toContain(process.cwd());
    expect(messages.join("\n")).not.toMatch(/root:|StudioConfig/);
  });

  it("code with emoji and other scripts, in a document over 16 KB: line numbers stay right", async () => {
    const filler = "Ein Absatz über Zeitüberschreitungen 😀 und 重试. ".repeat(400);
    const markdown = doc({
      before: filler,
      section5: ['export const label = "⏱️ délai — 超时 😀";\nexport const n: number = label;'],
    });
    expect(markdown.length).toBeGreaterThan(16_000);
    const result = await typecheckDocument(markdown);
    expect(section5Errors(result)).toEqual(["0:2:TS2322"]);
    expect(markdown.split("\n")[(result.section5.diagnostics[0]?.documentLine ?? 0) - 1]).toBe("export const n: number = label;");
  });
});

describe("blocks outside section 5: each its own module", () => {
  it("a fragment may use names from the surrounding text (reported as assumed), and callbacks passed to them", async () => {
    const result = await typecheckDocument(
      doc({
        section2: ['app.post("/charge", async (req, res) => {\n  res.json(await db.charge(req.body));\n});'],
        section5: ["export const ok = 1;"],
      }),
    );
    const fragment = result.blocks[0];
    expect(fragment).toMatchObject({ section: 2, checkedAs: "module", errors: 0 });
    expect(fragment?.assumed).toEqual(["app", "db"]);
  });

  it("still reports real errors in a fragment, and fragments do not see each other", async () => {
    const result = await typecheckDocument(
      doc({ section2: ["const count: number = 1;\ncount.toUpperCase();", "const count = 'again';"], section5: ["export const ok = 1;"] }),
    );
    expect(result.blocks[0]?.diagnostics.map((d) => `${d.line}:TS${d.code}`)).toEqual(["2:TS2339"]);
    expect(result.blocks[1]?.errors).toBe(0);
  });

  it("a block outside section 5 does not decide the section-5 item", async () => {
    const result = await typecheckDocument(doc({ section2: ["const n: number = 'x';"], section5: ["export const ok = 1;"] }));
    expect(result.blocks[0]?.errors).toBe(1);
    expect(typecheckVerdict(result).met).toBe(true);
  });
});

describe("result", () => {
  it("keys each block the way the preview finds it (indentation and trailing newline do not matter)", async () => {
    const markdown = doc({ section5: ["export const a = 1;"] }) + "\n\n- item\n\n  ```ts\n  export const b = 2;\n  ```\n";
    const blocks = typeScriptBlocks(markdown);
    expect(blocks.map((b) => b.code)).toEqual(["export const a = 1;", "export const b = 2;"]);
    expect(blocks[1]?.key).toBe(blockKey("export const b = 2;\n"));
    const result = await typecheckDocument(markdown);
    expect(result.blocks.map((b) => b.key)).toEqual(blocks.map((b) => b.key));
    expect(result.checkedLength).toBe(markdown.length);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("no TypeScript in section 5: the item is unmet, the compiler is not needed", async () => {
    const result = await typecheckDocument(doc({ section5: [] }));
    expect(result.section5.blocks).toBe(0);
    expect(typecheckVerdict(result)).toMatchObject({ met: false, counts: true });
  });

  it("a check that could not run says so and does not count against the section", () => {
    const verdict = typecheckVerdict(unavailableResult("text", "the type check did not finish within 10 s"));
    expect(verdict).toMatchObject({ met: false, pending: false, counts: false });
    expect(verdict.reason).toMatch(/Not type-checked: the type check did not finish within 10 s/);
  });

  it("the final report carries the result; without one the item is pending", async () => {
    const markdown = doc({ section5: ["export const n: number = 'x';"] });
    const result = await typecheckDocument(markdown);
    const checked = analyzeSections(markdown, { final: true, typecheck: result });
    expect(checked.typecheck).toBe(result);
    expect(checked.sections[4]?.requirements.find((r) => r.id === "type-checks")).toMatchObject({ met: false, required: true });
    const pending = analyzeSections(markdown, { final: true });
    expect(pending.sections[4]?.requirements.find((r) => r.id === "type-checks")).toMatchObject({ met: false, pending: true });
  });
});

describe("type packages", () => {
  it.each(TYPE_PACKAGES.map((entry) => [entry.name, entry] as const))("%s resolves to real declarations, pinned in dependencies", async (name, entry) => {
    const dependencies = packageJson.dependencies as Record<string, string>;
    expect(dependencies[entry.provider], `${entry.provider} in dependencies`).toMatch(/^\d+\.\d+\.\d+$/);
    const result = await typecheckDocument(doc({ section5: [`import * as m from "${name}";\nexport const k: string[] = Object.keys(m);`] }));
    expect(result.section5.unknownModules).toEqual([]);
    expect(result.section5.errors).toBe(0);
  });

  it("typescript and @types/node are run-time dependencies", () => {
    const dependencies = packageJson.dependencies as Record<string, string>;
    expect(dependencies.typescript).toBeDefined();
    expect(dependencies["@types/node"]).toBeDefined();
  });
});
