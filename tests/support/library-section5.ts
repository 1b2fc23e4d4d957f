/**
 * Runs the section 5 code of an example document (lib/examples/library/*.md).
 *
 * The ```ts blocks of section 5 are joined exactly as the product's type checker does
 * (`section5Source` in lib/typecheck/check-document.ts), transpiled to plain JavaScript with
 * TypeScript's transpileModule (types are erased, nothing else changes), written to
 * node_modules/.cache/library-section5/ and imported from there. Living under
 * node_modules lets the module's own imports ("ioredis", "node:http") resolve like
 * any dependency's, and vitest loads it natively, untransformed.
 *
 * The module reads timers and `performance` from globals at call time, so vitest's
 * fake timers drive it; behaviour tests import it once per file.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { section5Source } from "@/lib/typecheck/check-document";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const LIBRARY_DIR = path.join(ROOT, "lib", "examples", "library");
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "library-section5");

/** Section 5 of `markdown` as one JavaScript ES module (throws when there is no code). */
export function section5JavaScript(markdown: string, fileName: string): string {
  const source = section5Source(markdown);
  if (source.trim() === "") throw new Error(`${fileName}: no \`\`\`ts blocks in section 5`);
  const out = ts.transpileModule(source, {
    fileName: fileName.replace(/\.md$/, ".ts"),
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      // Keep class fields as fields, like the strict compile check does.
      useDefineForClassFields: true,
      esModuleInterop: true,
    },
  });
  const syntaxErrors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (syntaxErrors.length > 0) throw new Error(`${fileName}: section 5 does not parse:\n${syntaxErrors.join("\n")}`);
  return out.outputText;
}

/**
 * Imports section 5 of `lib/examples/library/<doc>` (or of `markdown`, when given,
 * for tests that run a deliberately altered copy) and returns its exports.
 * The caller describes the exports it uses with `T`.
 */
export async function importSection5<T>(doc: string, markdown?: string): Promise<T> {
  const text = markdown ?? readFileSync(path.join(LIBRARY_DIR, doc), "utf8");
  const js = section5JavaScript(text, doc);
  const hash = createHash("sha256").update(js).digest("hex").slice(0, 16);
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `${doc.replace(/\.md$/, "")}-${hash}.mjs`);
  writeFileSync(file, js); // content-addressed: rewriting the same bytes is harmless
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}
