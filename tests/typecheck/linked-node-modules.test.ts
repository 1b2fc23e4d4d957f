/**
 * node_modules may be a link (a container image's shared install, a mutation-testing sandbox):
 * the compiler follows links, so the declarations it reads carry the real path, and the checker
 * must still let it read them.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTypeChecker } from "@/lib/typecheck/worker/compiler.mjs";

const root = mkdtempSync(path.join(os.tmpdir(), "linked-node-modules-"));
symlinkSync(path.resolve("node_modules"), path.join(root, "node_modules"), "dir");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a project whose node_modules is a link", () => {
  it("reads the language library and the type packages through it", () => {
    const checker = createTypeChecker({ projectRoot: root, knownPackages: ["ioredis"] });
    const text = [
      'import { Redis } from "ioredis";',
      "export async function hits(redis: Redis, key: string): Promise<number> {",
      "  const seen = new Map<string, number>([[key, await redis.incr(key)]]);",
      "  return seen.get(key) ?? 0;",
      "}",
      'export const wrong: number = "🦄";',
    ].join("\n");
    const [result] = checker.check([{ name: "block-1.ts", text, assumeFreeNames: false }]);
    // Only the deliberate error: Promise, Map and Redis all resolved.
    expect(result?.diagnostics.map((diagnostic) => `${diagnostic.line}:TS${diagnostic.code}`)).toEqual(["6:TS2322"]);
  });
});
