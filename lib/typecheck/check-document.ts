/**
 * Type-checks a document's code in the warm worker: every ts/typescript block as its own
 * module, and the blocks of section 5 together, in order, as one program (an implementation
 * is usually split over several blocks that use each other's declarations). Server-side only.
 */
import { analyzeSections } from "@/lib/sections/analyzer";
import type { SectionResult } from "@/lib/sections/types";
import { typeScriptBlocks, type CodeBlock } from "./blocks";
import type { TypecheckBlock, TypecheckDiagnostic, TypecheckResult, TypecheckSection5 } from "./result";
import { TypecheckWorker, type CheckFile, type CheckOutcome, type FileResult, type RawDiagnostic } from "./worker-client";

/** Cannot find module / no declarations for it: the package is unknown to the checker, not wrong. */
const UNKNOWN_MODULE_CODES = new Set([2307, 2792, 7016]);
/** Code larger than this is not sent to the compiler (a runaway document). */
export const MAX_CHECKED_CHARACTERS = 400_000;
const MAX_DIAGNOSTICS_PER_BLOCK = 20;
const SECTION5 = "section-5.ts";

export interface TypecheckOptions {
  /** The document's sections (from analyzeSections), when the caller has them already. */
  sections?: readonly SectionResult[];
  /** The worker to use (default: this process's shared worker). */
  worker?: Pick<TypecheckWorker, "check">;
}

/** Type-checks `markdown`. Never rejects: when the compiler cannot run, the result says why. */
export async function typecheckDocument(markdown: string, options: TypecheckOptions = {}): Promise<TypecheckResult> {
  const blocks = locatedBlocks(markdown, options.sections);
  const section5Blocks = blocks.filter((block) => block.section === 5);
  const program = section5Program(section5Blocks);
  const files: CheckFile[] = blocks
    .filter((block) => block.section !== 5)
    .map((block) => ({ name: moduleName(block), text: block.code, assumeFreeNames: true }));
  if (section5Blocks.length > 0) files.push({ name: SECTION5, text: program.text, assumeFreeNames: false });

  const size = files.reduce((sum, file) => sum + file.text.length, 0);
  if (files.length === 0) return checkedResult(markdown, blocks, [], program, { ok: true, files: [], ms: 0, compilerVersion: "" });
  if (size > MAX_CHECKED_CHARACTERS) {
    return unavailableResult(markdown, `the document has ${Math.round(size / 1000)} KB of TypeScript, more than the ${MAX_CHECKED_CHARACTERS / 1000} KB the checker accepts`);
  }
  const outcome = await (options.worker ?? sharedTypecheckWorker()).check(files);
  if (!outcome.ok) return unavailableResult(markdown, outcome.reason);
  return checkedResult(markdown, blocks, outcome.files, program, outcome);
}

/**
 * The check a generation runs when it ends: only a complete document is type-checked (a
 * stopped, failed or interrupted one is not held up by it; Continue checks it when it completes).
 */
export async function typecheckFinishedDocument(markdown: string, status: string): Promise<TypecheckResult> {
  if (status !== "complete") return unavailableResult(markdown, "the document did not finish, so its code was not type-checked");
  try {
    return await typecheckDocument(markdown);
  } catch (error) {
    console.error("type check failed", error);
    return unavailableResult(markdown, "the type checker failed");
  }
}

/** A result for text that was not type-checked (e.g. a document that did not finish). */
export function unavailableResult(markdown: string, reason: string): TypecheckResult {
  return {
    status: "unavailable",
    reason,
    checkedLength: markdown.length,
    compilerVersion: null,
    blocks: [],
    section5: { blocks: 0, errors: 0, advisories: 0, diagnostics: [], unknownModules: [] },
    ms: 0,
  };
}

type LocatedBlock = CodeBlock & { section: number | null };

function locatedBlocks(markdown: string, known?: readonly SectionResult[]): LocatedBlock[] {
  const sections = known ?? analyzeSections(markdown, { final: true }).sections;
  return typeScriptBlocks(markdown).map((block) => ({ ...block, section: sectionAt(sections, block.offset) }));
}

/** Section 5's code exactly as it is checked: one module of its blocks in order (what behaviour tests run). */
export function section5Source(markdown: string): string {
  return section5Program(locatedBlocks(markdown).filter((block) => block.section === 5)).text;
}

interface Section5Program {
  text: string;
  /** First line (1-based) of each block in `text`, in block order. */
  starts: number[];
  blocks: LocatedBlock[];
}

/**
 * The blocks of section 5 joined in order. An import line repeated word for word in a later
 * block (models restate imports per block) is blanked, keeping line numbers, so it does not
 * count as a duplicate declaration.
 */
function section5Program(blocks: LocatedBlock[]): Section5Program {
  const seenImports = new Set<string>();
  const parts: string[] = [];
  const starts: number[] = [];
  let line = 1;
  for (const block of blocks) {
    starts.push(line);
    const lines = block.code.split("\n").map((text) => {
      const trimmed = text.trim();
      if (!/^import\s.*\sfrom\s+["'][^"']+["'];?$/.test(trimmed)) return text;
      if (seenImports.has(trimmed)) return "";
      seenImports.add(trimmed);
      return text;
    });
    parts.push(lines.join("\n"));
    line += lines.length;
  }
  return { text: parts.join("\n"), starts, blocks };
}

function checkedResult(
  markdown: string,
  blocks: LocatedBlock[],
  files: FileResult[],
  program: Section5Program,
  outcome: Extract<CheckOutcome, { ok: true }>,
): TypecheckResult {
  const byName = new Map(files.map((file) => [file.name, file]));
  const section5File = byName.get(SECTION5);
  const section5Diagnostics: (TypecheckDiagnostic & { block: number })[] = [];
  for (const raw of section5File?.diagnostics ?? []) {
    const at = blockOfLine(program.starts, raw.line);
    const block = program.blocks[at];
    const start = program.starts[at];
    if (!block || start === undefined) continue;
    section5Diagnostics.push({ ...diagnostic(raw, raw.line - start + 1, block), block: block.index });
  }
  const results: TypecheckBlock[] = blocks.map((block) => {
    if (block.section === 5) {
      const own = section5Diagnostics.filter((d) => d.block === block.index).map(withoutBlock);
      return blockResult(block, "section-5", own, []);
    }
    const file = byName.get(moduleName(block));
    const own = (file?.diagnostics ?? []).map((raw) => diagnostic(raw, raw.line, block));
    return blockResult(block, "module", own, file?.assumed ?? []);
  });
  const hidden = Math.max(0, (section5File?.errorCount ?? 0) - (section5File?.diagnostics.length ?? 0));
  const section5: TypecheckSection5 = {
    blocks: program.blocks.length,
    errors: section5Diagnostics.filter((d) => d.severity === "error").length + hidden,
    advisories: section5Diagnostics.filter((d) => d.severity === "advisory").length,
    diagnostics: sortDiagnostics(section5Diagnostics).slice(0, 50),
    unknownModules: [...new Set(section5Diagnostics.filter((d) => d.severity === "advisory").map((d) => moduleInMessage(d.message)))].sort(),
  };
  return {
    status: "checked",
    reason: null,
    checkedLength: markdown.length,
    compilerVersion: outcome.compilerVersion || null,
    blocks: results,
    section5,
    ms: outcome.ms,
  };
}

function blockResult(block: LocatedBlock, checkedAs: TypecheckBlock["checkedAs"], diagnostics: TypecheckDiagnostic[], assumed: string[]): TypecheckBlock {
  return {
    index: block.index,
    key: block.key,
    section: block.section,
    fenceLine: block.fenceLine,
    checkedAs,
    errors: diagnostics.filter((d) => d.severity === "error").length,
    advisories: diagnostics.filter((d) => d.severity === "advisory").length,
    diagnostics: sortDiagnostics(diagnostics).slice(0, MAX_DIAGNOSTICS_PER_BLOCK),
    assumed,
  };
}

function diagnostic(raw: RawDiagnostic, line: number, block: LocatedBlock): TypecheckDiagnostic {
  return {
    line,
    column: raw.column,
    documentLine: block.fenceLine + line,
    code: raw.code,
    message: raw.message,
    severity: UNKNOWN_MODULE_CODES.has(raw.code) ? "advisory" : "error",
  };
}

/** Errors before advisories, each in line order. */
function sortDiagnostics<T extends TypecheckDiagnostic>(diagnostics: T[]): T[] {
  return [...diagnostics].sort((a, b) => (a.severity === b.severity ? a.documentLine - b.documentLine || a.column - b.column : a.severity === "error" ? -1 : 1));
}

function withoutBlock(located: TypecheckDiagnostic & { block: number }): TypecheckDiagnostic {
  const { line, column, documentLine, code, message, severity } = located;
  return { line, column, documentLine, code, message, severity };
}

function blockOfLine(starts: readonly number[], line: number): number {
  let at = 0;
  for (let i = 0; i < starts.length; i++) if ((starts[i] ?? Infinity) <= line) at = i;
  return at;
}

function sectionAt(sections: readonly SectionResult[], offset: number): number | null {
  for (const section of sections) {
    if (section.start === null || section.end === null) continue;
    if (offset >= section.start && (offset < section.end || section.end === -1)) return section.number;
  }
  return null;
}

function moduleName(block: CodeBlock): string {
  return `block-${block.index}.ts`;
}

function moduleInMessage(message: string): string {
  return /'([^']+)'/.exec(message)?.[1] ?? message;
}

// Route handlers are bundled separately by Next.js; globalThis keeps one worker per process.
const globalForTypecheck = globalThis as typeof globalThis & { __designDocTypecheck?: TypecheckWorker };

/** This process's warm worker (started on first use). */
export function sharedTypecheckWorker(): TypecheckWorker {
  globalForTypecheck.__designDocTypecheck ??= new TypecheckWorker();
  return globalForTypecheck.__designDocTypecheck;
}
