/** Shared helpers for the section analyzer tests (not a test file itself). */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { analyzeSections, IncrementalSectionAnalyzer } from "@/lib/sections/analyzer";
import type { SectionReport } from "@/lib/sections/analyzer";
import { typeScriptBlocks } from "@/lib/typecheck/blocks";
import type { TypecheckResult } from "@/lib/typecheck/result";

export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/sections/", import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURE_DIR}${name}`, "utf8");
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((name) => name.endsWith(".md")).sort();
}

export const compliant = (): string => fixture("compliant.md");

/** Body of section n in a document using `## n.` headings (heading line included). */
export function sectionSlice(doc: string, n: number): { start: number; end: number } {
  const start = doc.search(new RegExp(`^## ${n}\\. `, "m"));
  if (start < 0) throw new Error(`section ${n} not found`);
  const after = doc.slice(start + 1).search(/^## \d+\. /m);
  return { start, end: after < 0 ? doc.length : start + 1 + after };
}

/**
 * Replace text inside section n only. Throws if the text to replace is absent, so a
 * variant can never silently stop testing what it claims to test.
 */
export function editSection(doc: string, n: number, edit: (body: string) => string): string {
  const { start, end } = sectionSlice(doc, n);
  const body = doc.slice(start, end);
  const edited = edit(body);
  if (edited === body) throw new Error(`edit of section ${n} changed nothing`);
  return doc.slice(0, start) + edited + doc.slice(end);
}

export function replaceOnce(body: string, find: string | RegExp, replacement: string): string {
  const found = typeof find === "string" ? body.includes(find) : find.test(body);
  if (!found) throw new Error(`text to replace not found: ${String(find)}`);
  return body.replace(find, replacement);
}

export function replaceSectionBody(doc: string, n: number, body: string): string {
  return editSection(doc, n, (old) => `${old.slice(0, old.indexOf("\n") + 1)}\n${body}\n\n`);
}

/** Feed text in fixed-size chunks and report. */
export function analyzeInChunks(text: string, size: number, options: { final?: boolean } = {}): SectionReport {
  const analyzer = new IncrementalSectionAnalyzer();
  for (let i = 0; i < text.length; i += size) analyzer.push(text.slice(i, i + size));
  return analyzer.report(options);
}

export function section(report: SectionReport, n: number) {
  const result = report.sections[n - 1];
  if (!result) throw new Error(`no section ${n} in report`);
  return result;
}

export function rule(report: SectionReport, id: string) {
  const result = report.rules.find((entry) => entry.id === id);
  if (!result) throw new Error(`no rule ${id}`);
  return result;
}

export function unmetRequired(report: SectionReport, n: number): string[] {
  return section(report, n).requirements.filter((req) => req.required && !req.met).map((req) => req.id);
}

/**
 * What the server's type check reports for `text` when the compiler finds no error. For tests
 * of the text checks, which must not depend on the compiler; tests/typecheck runs the real
 * compiler, and shows there that the compliant fixture really does type-check.
 */
export function cleanTypecheck(text: string): TypecheckResult {
  const section5 = analyzeSections(text, { final: true }).sections[4];
  const inSection5 = typeScriptBlocks(text).filter(
    (block) => section5?.start != null && section5.end != null && block.offset >= section5.start && block.offset < section5.end,
  );
  return {
    status: "checked",
    reason: null,
    checkedLength: text.length,
    compilerVersion: null,
    blocks: [],
    section5: { blocks: inSection5.length, errors: 0, advisories: 0, diagnostics: [], unknownModules: [] },
    ms: 0,
  };
}

/** The final report of a finished document whose code type-checks (see cleanTypecheck). */
export function analyzeFinal(text: string, options: { topic?: string } = {}): SectionReport {
  return analyzeSections(text, { ...options, final: true, typecheck: cleanTypecheck(text) });
}
