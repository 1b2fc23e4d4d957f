/**
 * Compile check for the example library (lib/examples/library/*.md).
 *
 * Section 5 of every example document promises "Full Production-Grade
 * Implementation" in TypeScript. The ```ts / ```typescript blocks of that
 * section, concatenated in order, must form ONE module that compiles under
 * strict settings. This file extracts that module and type-checks it in memory
 * with the TypeScript compiler API (nothing is written to disk).
 *
 * Client libraries that are not installed in this project (for example
 * `ioredis`) are described by the minimal ambient declarations in
 * ./declarations/*.d.ts. Libraries that ARE installed with types (for example
 * `pg` via @types/pg) resolve through node_modules as usual.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const TYPECHECK_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(TYPECHECK_DIR, "../../..");
const DECLARATIONS_DIR = path.join(TYPECHECK_DIR, "declarations");
/** Virtual files live under the project so `import "pg"` resolves via node_modules. */
const VIRTUAL_DIR = path.join(TYPECHECK_DIR, "__virtual__");

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const SECTION5_RE = /^##\s+5(?:[.):]|\s|$)/;
const H2_RE = /^##\s/;
const TS_LANGS = new Set(["ts", "typescript"]);

/**
 * Returns the ```ts / ```typescript blocks between the `## 5.` heading and the
 * next `## ` heading, concatenated with newlines. Headings inside fenced code
 * blocks are ignored. Returns "" when there is no section 5 or no ts block.
 */
export function extractSection5TypeScript(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const blocks: string[] = [];
  let inSection = false;
  let fence: { marker: string; isTs: boolean; body: string[] } | null = null;

  for (const line of lines) {
    if (fence) {
      const close = FENCE_RE.exec(line);
      const closeMarker = close?.[1];
      if (
        closeMarker !== undefined &&
        closeMarker[0] === fence.marker[0] &&
        closeMarker.length >= fence.marker.length &&
        (close?.[2] ?? "").trim() === ""
      ) {
        if (inSection && fence.isTs) blocks.push(fence.body.join("\n"));
        fence = null;
      } else {
        fence.body.push(line);
      }
      continue;
    }

    const open = FENCE_RE.exec(line);
    const openMarker = open?.[1];
    if (openMarker !== undefined) {
      const lang = (open?.[2] ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
      fence = { marker: openMarker, isTs: TS_LANGS.has(lang), body: [] };
      continue;
    }

    if (SECTION5_RE.test(line)) {
      if (blocks.length > 0 && !inSection) break; // duplicate "## 5." — judge the first one only
      inSection = true;
      continue;
    }
    if (inSection && H2_RE.test(line)) break;
  }
  // An unterminated fence at the end of section 5 still counts (streamed docs).
  if (fence && inSection && fence.isTs) blocks.push(fence.body.join("\n"));

  return blocks.join("\n");
}

export const COMPILER_OPTIONS: ts.CompilerOptions = Object.freeze({
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: ["node"],
  typeRoots: [path.join(PROJECT_ROOT, "node_modules", "@types")],
  skipLibCheck: true,
  noEmit: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
});

/** Parsed lib / node_modules / declaration files, shared by every Program. */
const sourceFileCache = new Map<string, ts.SourceFile>();
let baseHost: ts.CompilerHost | null = null;
let moduleResolutionCache: ts.ModuleResolutionCache | null = null;

function getBaseHost(): ts.CompilerHost {
  if (!baseHost) {
    baseHost = ts.createCompilerHost(COMPILER_OPTIONS, true);
    moduleResolutionCache = ts.createModuleResolutionCache(
      PROJECT_ROOT,
      (f) => baseHost!.getCanonicalFileName(f),
      COMPILER_OPTIONS,
    );
  }
  return baseHost;
}

export function declarationFiles(): string[] {
  try {
    return readdirSync(DECLARATIONS_DIR)
      .filter((f) => f.endsWith(".d.ts"))
      .sort()
      .map((f) => path.join(DECLARATIONS_DIR, f));
  } catch {
    return [];
  }
}

function virtualPath(fileName: string): string {
  let base = path.basename(fileName).replace(/[^A-Za-z0-9._-]/g, "-");
  base = base.replace(/\.(md|markdown|tsx?|mts|cts)$/i, "");
  return path.join(VIRTUAL_DIR, `${base || "snippet"}.ts`);
}

function formatDiagnostic(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const where = d.file.fileName.startsWith(VIRTUAL_DIR) ? path.basename(d.file.fileName) : d.file.fileName;
    return `${where}(${line + 1},${character + 1}): TS${d.code}: ${message}`;
  }
  return `TS${d.code}: ${message}`;
}

/**
 * Type-checks `source` as one module named after `fileName` (a doc name such
 * as "circuit-breaker.md" is fine). One ts.Program per call; parsed lib and
 * dependency SourceFiles are cached and reused across calls.
 */
export function compileTypeScript(source: string, fileName: string): { ok: boolean; diagnostics: string[] } {
  const host = getBaseHost();
  const target = virtualPath(fileName);
  const targetKey = host.getCanonicalFileName(target);

  const compilerHost: ts.CompilerHost = {
    ...host,
    fileExists: (f) => host.getCanonicalFileName(f) === targetKey || host.fileExists(f),
    readFile: (f) => (host.getCanonicalFileName(f) === targetKey ? source : host.readFile(f)),
    getSourceFile: (f, languageVersionOrOptions, onError, shouldCreate) => {
      if (host.getCanonicalFileName(f) === targetKey) {
        return ts.createSourceFile(f, source, languageVersionOrOptions, true, ts.ScriptKind.TS);
      }
      const opts =
        typeof languageVersionOrOptions === "object"
          ? `${languageVersionOrOptions.languageVersion}:${languageVersionOrOptions.impliedNodeFormat ?? ""}`
          : String(languageVersionOrOptions);
      const key = `${host.getCanonicalFileName(f)}|${opts}`;
      const cached = sourceFileCache.get(key);
      if (cached) return cached;
      const sf = host.getSourceFile(f, languageVersionOrOptions, onError, shouldCreate);
      if (sf) sourceFileCache.set(key, sf);
      return sf;
    },
    resolveModuleNameLiterals: (literals, containingFile, redirectedReference, options) =>
      literals.map((lit) =>
        ts.resolveModuleName(lit.text, containingFile, options, compilerHost, moduleResolutionCache ?? undefined, redirectedReference),
      ),
    writeFile: () => {},
  };

  const program = ts.createProgram({
    rootNames: [target, ...declarationFiles()],
    options: COMPILER_OPTIONS,
    host: compilerHost,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map(formatDiagnostic);
  return { ok: diagnostics.length === 0, diagnostics };
}
