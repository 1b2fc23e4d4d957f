import { isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { SectionRow } from "@/components/sections/SectionRow";
import { SectionSidebar } from "@/components/sections/SectionSidebar";
import { sectionSignature } from "@/components/sections/section-display";
import { analyzeSections, type SectionResult } from "@/lib/sections/analyzer";
import { compliant, section } from "./helpers";
import { VARIANTS } from "./variants";

const doc = compliant();
const streaming = analyzeSections(doc.slice(0, doc.indexOf("1. A request misses")));
const deficient = analyzeSections(VARIANTS.find((v) => v.requirement === "detection")?.make(doc) ?? "", { final: true });

const html = (node: ReactElement) => renderToStaticMarkup(node);
const attr = (markup: string, testId: string, name: string) => new RegExp(`data-testid="${testId}"[^>]*${name}="([^"]*)"`).exec(markup)?.[1];

describe("SectionSidebar", () => {
  it("renders the 12 sections in order with state as data attribute and text", () => {
    const markup = html(<SectionSidebar report={streaming} />);
    expect(markup).toContain('data-testid="section-sidebar"');
    const order = [...markup.matchAll(/data-testid="section-(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(attr(markup, "section-1", "data-state")).toBe("satisfied");
    expect(attr(markup, "section-3", "data-state")).toBe("writing");
    expect(attr(markup, "section-4", "data-state")).toBe("pending");
    expect(markup).toContain("Writing…");
    expect(markup).toMatch(/data-testid="section-count"[^>]*>2 \/ 12 satisfied</);
  });

  it("shows each requirement with data-met, advisory items marked", () => {
    const markup = html(<SectionSidebar report={streaming} />);
    expect(attr(markup, "requirement-3-ascii-diagram", "data-met")).toBe("true");
    expect(attr(markup, "requirement-3-ordered-steps", "data-met")).toBe("false");
    expect(markup).toMatch(/data-testid="requirement-3-precise-terms"[\s\S]*?\(advisory\)/);
    // While writing, unmet items are "not yet", not failures.
    expect(markup).toMatch(/data-testid="requirement-3-ordered-steps"[\s\S]*?not yet/);
  });

  it("explains unmet items in plain words with the reason", () => {
    const markup = html(<SectionSidebar report={deficient} />);
    expect(attr(markup, "section-9", "data-state")).toBe("incomplete");
    expect(attr(markup, "requirement-9-detection", "data-met")).toBe("false");
    expect(markup).toContain("A mistake has no labelled part on how to detect it early");
    expect(markup).toContain("Sharing one AbortSignal across waiters");
  });

  it("shows document rules only when the report is final", () => {
    expect(html(<SectionSidebar report={streaming} />)).toMatch(/data-testid="document-rules"[\s\S]*Checked when the document finishes/);
    const finalMarkup = html(<SectionSidebar report={deficient} />);
    expect(finalMarkup).not.toContain("Checked when the document finishes");
    expect(attr(finalMarkup, "rule-sections-in-order", "data-met")).toBe("true");
  });

  it("the row's Go to button calls onSelectSection with that section, and sits outside the <summary>", () => {
    const onSelect = vi.fn();
    const target = section(deficient, 9);
    const row = (SectionRow as unknown as { type: (props: object) => ReactElement }).type({ section: target, signature: "", onSelectSection: onSelect });
    const button = findElement(row, (el) => el.type === "button");
    (button.props as { onClick: () => void }).onClick();
    expect(onSelect).toHaveBeenCalledWith(target);
    const summary = findElement(row, (el) => el.type === "summary");
    expect(() => findElement(summary, (el) => el.type === "button")).toThrow();
  });

  it("has no interactive control nested in another (axe: nested-interactive)", () => {
    const markup = html(<SectionSidebar report={deficient} onSelectSection={() => {}} />);
    for (const summary of markup.match(/<summary[\s\S]*?<\/summary>/g) ?? []) expect(summary).not.toMatch(/<(button|a|input|select)\b/);
    expect(markup.match(/<button/g)).toHaveLength(12);
  });

  it("row signatures change only when the row's content changes", () => {
    const later = analyzeSections(doc.slice(0, doc.indexOf("## 5.")));
    expect(sectionSignature(section(later, 1))).toBe(sectionSignature(section(streaming, 1)));
    expect(sectionSignature(section(later, 3))).not.toBe(sectionSignature(section(streaming, 3)));
    const unchanged: SectionResult = JSON.parse(JSON.stringify(section(later, 2)));
    expect(sectionSignature(unchanged)).toBe(sectionSignature(section(streaming, 2)));
  });
});

function findElement(node: ReactNode, match: (el: ReactElement) => boolean): ReactElement {
  const stack: ReactNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) stack.push(...current);
    else if (isValidElement(current)) {
      if (match(current)) return current;
      stack.push((current.props as { children?: ReactNode }).children);
    }
  }
  throw new Error("element not found");
}
