import { describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { fixture, rule, section, unmetRequired } from "./helpers";

describe("bullets-only.md (a terse, under-specified model answer)", () => {
  const report = analyzeSections(fixture("bullets-only.md"), { final: true });

  it("finds every `## N)` heading but satisfies no section", () => {
    expect(report.sections.every((s) => s.start !== null)).toBe(true);
    expect(report.sections.map((s) => s.state)).toEqual(Array(12).fill("incomplete"));
    expect(report.satisfied).toBe(0);
  });

  it("explains what is missing, item by item", () => {
    expect(unmetRequired(report, 1)).toEqual(["failure-scenario", "what-breaks", "realistic-load", "naive-fails"]);
    // Approach #1 has no code; both have reasoning; no symptoms part.
    expect(unmetRequired(report, 2)).toEqual(["approach-code", "production-symptoms"]);
    expect(section(report, 2).requirements.find((r) => r.id === "approach-code")?.reason).toMatch(/retry forever/);
    // An untyped fence of pseudo-code is not an ASCII diagram.
    expect(unmetRequired(report, 3)).toEqual(["ascii-diagram", "ordered-steps"]);
    // JavaScript is not TypeScript.
    expect(section(report, 5).requirements.find((r) => r.id === "typescript-code")?.reason).toMatch(/not in a ```ts/);
    expect(unmetRequired(report, 9)).toEqual(["mistake-count", "why-engineers", "what-breaks", "detection", "fix"]);
  });

  it("passes the document rules it does follow", () => {
    expect(rule(report, "h1-title").met).toBe(true);
    expect(rule(report, "sections-in-order").met).toBe(true);
    expect(rule(report, "status-markers").met).toBe(true);
  });
});

describe("model-quirks.md (mixed heading styles, emoji, filler, indented code, duplicate)", () => {
  const text = fixture("model-quirks.md");
  const report = analyzeSections(text, { final: true, topic: "Distributed Locks" });
  const lineOf = (needle: string) => text.split("\n").findIndex((line) => line.includes(needle)) + 1;

  it("judges sections written with `### Section N:` and bold approach labels", () => {
    expect(report.sections.slice(0, 4).map((s) => s.state)).toEqual(["satisfied", "satisfied", "satisfied", "satisfied"]);
  });

  it("judges the duplicated section 5 on its first occurrence", () => {
    expect(section(report, 5).state).toBe("incomplete");
    expect(rule(report, "unique-section-numbers").lines).toEqual([text.split("\n").lastIndexOf("## 5. Full Production-Grade Implementation") + 1]);
  });

  it("marks unseen sections missing", () => {
    expect(report.sections.slice(5).map((s) => s.state)).toEqual(Array(7).fill("missing"));
    expect(rule(report, "sections-in-order").detail).toMatch(/missing sections 6, 7, 8, 9, 10, 11, 12/);
  });

  it("flags emoji, filler, buzzwords and indented code with their lines", () => {
    expect(rule(report, "no-other-emoji")).toMatchObject({ met: false, lines: [1] });
    expect(rule(report, "no-filler")).toMatchObject({ met: false, required: false, lines: [lineOf("fast-paced")] });
    expect(rule(report, "no-unexplained-buzzwords")).toMatchObject({ met: false, required: false, lines: [lineOf("fast-paced")] });
    expect(rule(report, "fenced-code-only")).toMatchObject({ met: false, lines: [lineOf("SET lock:renewals <token>")] });
    expect(rule(report, "h1-title").met).toBe(true);
  });

  it("checks that the H1 names the topic when the topic is given", () => {
    expect(rule(analyzeSections(text, { final: true, topic: "Leader Election" }), "h1-title").met).toBe(false);
  });
});
