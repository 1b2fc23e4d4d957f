/**
 * The section-5 item "the code type-checks" in the analyzer and the sidebar: it comes from the
 * server, so until the result is there the section is "checking" — not satisfied, not failed.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SectionSidebar } from "@/components/sections/SectionSidebar";
import { analyzeSections, IncrementalSectionAnalyzer } from "@/lib/sections/analyzer";
import { unavailableResult } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { cleanTypecheck, compliant, section, sectionSlice } from "./helpers";
import { VARIANTS } from "./variants";

const doc = compliant();
const item = (report: ReturnType<typeof analyzeSections>) => section(report, 5).requirements.find((r) => r.id === "type-checks");
const attr = (markup: string, testId: string, name: string) => new RegExp(`data-testid="${testId}"[^>]*${name}="([^"]*)"`).exec(markup)?.[1];

function withErrors(text: string): TypecheckResult {
  const clean = cleanTypecheck(text);
  const diagnostic = { line: 4, column: 3, documentLine: 100, code: 2322, message: "Type 'string' is not assignable to type 'number'.", severity: "error" as const, block: 2 };
  return { ...clean, section5: { ...clean.section5, errors: 1, diagnostics: [diagnostic] } };
}

describe("type-checks item without the server's result", () => {
  const report = analyzeSections(doc, { final: true });

  it("is pending, and section 5 is 'checking': not counted as satisfied, not incomplete", () => {
    expect(item(report)).toMatchObject({ met: false, required: true, pending: true });
    expect(section(report, 5).state).toBe("checking");
    expect(report.satisfied).toBe(11);
    expect(report.sections.filter((s) => s.state === "incomplete")).toEqual([]);
  });

  it("the sidebar says checking…, never satisfied or failed", () => {
    const markup = renderToStaticMarkup(<SectionSidebar report={report} />);
    expect(attr(markup, "section-5", "data-state")).toBe("checking");
    expect(markup).toMatch(/data-testid="section-count"[^>]*>11 \/ 12 satisfied<span data-testid="section-checking-count">, 1 checking…/);
    expect(markup).toMatch(/data-testid="requirement-5-type-checks"[^>]*data-met="false"[\s\S]*?checking…/);
    expect(markup).not.toMatch(/data-testid="requirement-5-type-checks"[^>]*>[\s\S]{0,400}?not met/);
  });

  it("while the document streams, a finished section 5 is 'checking' too", () => {
    const streamingReport = analyzeSections(doc.slice(0, sectionSlice(doc, 7).start + 40));
    expect(section(streamingReport, 5).state).toBe("checking");
    expect(section(streamingReport, 7).state).toBe("writing");
  });

  it("a result for other text (an earlier version) is ignored", () => {
    const stale = { ...cleanTypecheck(doc), checkedLength: doc.length - 1 };
    expect(item(analyzeSections(doc, { final: true, typecheck: stale }))?.pending).toBe(true);
  });

  it("other unmet items still make the section incomplete", () => {
    const noCleanup = VARIANTS.find((v) => v.requirement === "cleanup")!.make(doc);
    expect(section(analyzeSections(noCleanup, { final: true }), 5).state).toBe("incomplete");
  });
});

describe("type-checks item with the server's result", () => {
  it("clean: met, section 5 satisfied, 12/12", () => {
    const report = analyzeSections(doc, { final: true, typecheck: cleanTypecheck(doc) });
    expect(item(report)).toMatchObject({ met: true, required: true });
    expect(item(report)?.pending).toBeUndefined();
    expect(report.satisfied).toBe(12);
  });

  it("errors: unmet with the error and its line, section 5 incomplete", () => {
    const report = analyzeSections(doc, { final: true, typecheck: withErrors(doc) });
    expect(item(report)).toMatchObject({ met: false, required: true });
    expect(item(report)?.reason).toMatch(/1 type error: block \d line 4: TS2322 Type 'string' is not assignable/);
    expect(section(report, 5).state).toBe("incomplete");
    expect(report.satisfied).toBe(11);
  });

  it("could not run: reported, not required, and the section is judged on the rest", () => {
    const report = analyzeSections(doc, { final: true, typecheck: unavailableResult(doc, "the type checker crashed (out of memory)") });
    expect(item(report)).toMatchObject({ met: false, required: false });
    expect(item(report)?.reason).toMatch(/^Not type-checked: the type checker crashed \(out of memory\)\./);
    expect(section(report, 5).state).toBe("satisfied");
    const markup = renderToStaticMarkup(<SectionSidebar report={report} />);
    expect(markup).toMatch(/data-testid="requirement-5-type-checks"[\s\S]*?\(advisory\)[\s\S]*?Not type-checked/);
  });

  it("the incremental analyzer's report follows the result as it arrives", () => {
    const analyzer = new IncrementalSectionAnalyzer();
    analyzer.push(doc);
    expect(section(analyzer.report({ final: true }), 5).state).toBe("checking");
    const result = cleanTypecheck(doc);
    const checked = analyzer.report({ final: true, typecheck: result });
    expect(section(checked, 5).state).toBe("satisfied");
    expect(checked.typecheck).toBe(result);
    expect(section(analyzer.report({ final: true, typecheck: withErrors(doc) }), 5).state).toBe("incomplete");
  });
});
