import { describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { analyzeFinal, compliant, editSection, replaceOnce, rule } from "./helpers";

const final = (text: string) => analyzeFinal(text);

describe("whole-document rules", () => {
  it("the compliant fixture passes every required rule", () => {
    const report = final(compliant());
    expect(report.rules.filter((r) => r.required && !r.met)).toEqual([]);
    expect(rule(report, "h1-title").detail).toBe('H1: "Request Coalescing (Single-Flight) for Cache Misses".');
  });

  it("the H1 must exist and may be checked against the topic", () => {
    expect(rule(final(compliant().replace(/^# .*\n/, "")), "h1-title").met).toBe(false);
    expect(rule(final(compliant().replace(/^# .*\n/, "#\n")), "h1-title").met).toBe(false);
    expect(rule(analyzeSections(compliant(), { final: true, topic: "request coalescing" }), "h1-title").met).toBe(true);
    expect(rule(analyzeSections(compliant(), { final: true, topic: "Rate Limiting" }), "h1-title").met).toBe(false);
  });

  it("requires ❌/✗ markers", () => {
    const text = compliant().replace(/❌ /g, "");
    expect(rule(final(text), "status-markers").met).toBe(false);
  });

  it("flags other emoji with their line, but not markers, arrows, box drawing or code", () => {
    const clean = editSection(compliant(), 6, (body) => replaceOnce(body, "4. All 800", "4. ✓ → ▼ │ All 800"));
    expect(rule(final(clean), "no-other-emoji").met).toBe(true);
    const inCode = editSection(compliant(), 5, (body) => replaceOnce(body, "interface Product {", "// 🚀 fast path\ninterface Product {"));
    expect(rule(final(inCode), "no-other-emoji").met).toBe(true);
    const withEmoji = editSection(compliant(), 8, (body) => replaceOnce(body, "- CPU:", "- 🔥 CPU:"));
    const lineNo = withEmoji.split("\n").findIndex((line) => line.includes("🔥")) + 1;
    expect(rule(final(withEmoji), "no-other-emoji")).toMatchObject({ met: false, lines: [lineNo], detail: "Other emoji: 🔥." });
  });

  it("flags indented code blocks, not indented list continuations", () => {
    const listContinuation = editSection(compliant(), 3, (body) => replaceOnce(body, "2. If an entry exists", "\n    continuation of step one\n\n2. If an entry exists"));
    expect(rule(final(listContinuation), "fenced-code-only").met).toBe(true);
    const indented = editSection(compliant(), 4, (body) => replaceOnce(body, "Contrast with", "    const p = map.get(key);\n    return p;\n\nContrast with"));
    expect(rule(final(indented), "fenced-code-only")).toMatchObject({ met: false });
    expect(rule(final(indented), "fenced-code-only").lines).toHaveLength(1);
  });

  it("flags filler and unexplained buzzwords as advisory, not explained ones", () => {
    const text = editSection(compliant(), 8, (body) =>
      replaceOnce(body, "- CPU:", "- It is important to note that this is robust.\n- Robust (survives a Redis restart without losing waiters).\n- CPU:"),
    );
    const report = final(text);
    expect(rule(report, "no-filler")).toMatchObject({ met: false, required: false });
    expect(rule(report, "no-unexplained-buzzwords").lines).toHaveLength(1);
    expect(report.sections.every((s) => s.state === "satisfied")).toBe(true);
  });
});
