import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { buildRepairPrompt, REPAIR_MARKER, repairContinuationPrompt } from "@/lib/generation/repair/repair-prompt";
import { fillMasterPrompt, getMasterPrompt } from "@/lib/prompts/master-prompt";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import { documentOutline } from "@/lib/repair/outline";
import { analyzeSections } from "@/lib/sections/analyzer";
import { unavailableResult } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { draft, REQUEST_DEDUPLICATION } from "./fixtures";

const damaged = draft(REQUEST_DEDUPLICATION, "s7-deadlocks-timeouts", "s11-missing");
const report = analyzeSections(damaged, { final: true });
const [seven, eleven] = sectionsToRepair(report, null);

describe("buildRepairPrompt: one section, and only what it needs", () => {
  // Built inside each test, not when the file is collected: a mutation tester switches mutants on per test.
  const sevenPrompt = () => buildRepairPrompt({ topic: "Request Deduplication", markdown: damaged, report, section: seven!, typecheck: null });

  it("carries the topic, the section's part of the master prompt and its contract lines, what is missing, the outline and the current text", () => {
    const prompt = sevenPrompt();
    expect(prompt).toContain("TOPIC: Request Deduplication");
    expect(prompt).toContain(`${REPAIR_MARKER} 7. Failure Modes & Edge Cases`);
    expect(prompt).toContain("7. Failure Modes & Edge Cases\n\n- List all known failure modes");
    expect(prompt).toContain("Section 7 — Failure Modes & Edge Cases");
    expect(prompt).toContain("`**Mitigated:** <yes / partially / no>");
    expect(prompt).toContain("- Deadlocks are not named: ");
    expect(prompt).toContain("- Timeout mismatches are not named: ");
    expect(prompt).toContain("Avoid emojis (except for status markers)");
    expect(prompt).toContain("### ❌ Incorrect Approach #1");
    expect(prompt).toContain("## 11. Related Concepts — MISSING");
    expect(prompt).toContain("<<<SECTION\n## 7. Failure Modes & Edge Cases");
    expect(prompt).toMatch(/Start with its heading line, `## 7\. Failure Modes & Edge Cases`/);
  });

  it("opens with the seed's role line, and carries its global rules and style constraints, each up to the next heading", () => {
    const prompt = sevenPrompt();
    expect(prompt.startsWith("You are a senior backend systems engineer and distributed-systems educator who has debugged multiple real production outages.\n\n")).toBe(true);
    expect(prompt).toContain("\n\nGlobal rules (MANDATORY):\n\n- Use English only\n");
    expect(prompt).toContain("- Assume the reader will copy this into production\n\nSTYLE CONSTRAINTS\n\n- Write clean, professional Markdown\n");
    expect(prompt).toContain("- Avoid buzzwords unless explicitly defined\n\nWhat the checker found missing:");
    expect(prompt).not.toContain("DOCUMENT STRUCTURE");
    expect(prompt).not.toContain("QUALITY BAR");
  });

  it("is exactly the reviewed prompt (a change to its wording shows here, in tests/repair/__snapshots__)", () => {
    expect(sevenPrompt()).toMatchSnapshot();
  });

  it("does not carry the other sections' text", () => {
    const prompt = sevenPrompt();
    const sectionTwo = damaged.slice(report.sections[1]!.start!, report.sections[1]!.end!);
    const codeLines = sectionTwo.split("```ts\n")[1]!.split("\n```")[0]!.split("\n").filter((line) => line.trim().length > 30);
    expect(codeLines.length).toBeGreaterThan(0);
    for (const line of codeLines) expect(prompt).not.toContain(line);
    expect(prompt).not.toContain(damaged.slice(report.sections[4]!.start!, report.sections[4]!.start! + 400));
  });

  it("costs a small share of the first pass (the figure bench:compliance reports per round)", () => {
    const prompt = sevenPrompt();
    const firstPass = countTokens(fillMasterPrompt(getMasterPrompt("contract").template, "Request Deduplication")) + countTokens(REQUEST_DEDUPLICATION);
    const repair = countTokens(prompt) + countTokens(damaged.slice(report.sections[6]!.start!, report.sections[6]!.end!));
    expect(repair / firstPass).toBeLessThan(0.25);
  });

  it("asks for a missing section from scratch", () => {
    const missing = buildRepairPrompt({ topic: "Request Deduplication", markdown: damaged, report, section: eleven!, typecheck: null });
    expect(missing).toContain("The document has no section 11: write it from scratch.");
    expect(missing).not.toContain("<<<SECTION");
  });

  it("gives a section-5 request the compiler's errors", () => {
    const typecheck: TypecheckResult = {
      ...unavailableResult(damaged, ""),
      status: "checked",
      reason: null,
      section5: {
        blocks: 2,
        errors: 1,
        advisories: 0,
        unknownModules: [],
        diagnostics: [{ block: 1, line: 14, column: 3, documentLine: 300, code: 2304, message: "Cannot find name 'signal'.", severity: "error" }],
      },
    };
    const five = { number: 5, title: "Full Production-Grade Implementation", missing: false, items: [{ id: "type-checks", label: "The TypeScript code does not type-check", reason: "1 error" }] };
    const prompt5 = buildRepairPrompt({ topic: "Request Deduplication", markdown: damaged, report, section: five, typecheck });
    expect(prompt5).toContain("- code block 2, line 14: TS2304 Cannot find name 'signal'.");
    expect(sevenPrompt()).not.toContain("TS2304");
  });

  it("outlines the document with its sub-headings", () => {
    const outline = documentOutline(damaged, report);
    expect(outline.split("\n")[0]).toBe("# Request Deduplication");
    expect(outline).toContain("## 2. The Naive / Incorrect Approaches\n  ### ❌ Incorrect Approach #1");
  });

  it("lists at most 15 of the compiler's errors, never its advisories, and nothing from a check that did not run", () => {
    const diagnostic = (index: number, severity: "error" | "advisory") => ({ block: 0, line: index + 1, column: 1, documentLine: 100 + index, code: 2304, message: `Cannot find name 'n${index}'.`, severity });
    const checked = (diagnostics: ReturnType<typeof diagnostic>[]): TypecheckResult => ({
      ...unavailableResult(damaged, ""),
      status: "checked",
      reason: null,
      section5: { blocks: 1, errors: diagnostics.length, advisories: 0, unknownModules: [], diagnostics },
    });
    const five = { number: 5, title: "Full Production-Grade Implementation", missing: false, items: [{ id: "type-checks", label: "The TypeScript code does not type-check", reason: "errors" }] };
    const promptFor = (typecheck: TypecheckResult | null) => buildRepairPrompt({ topic: "Request Deduplication", markdown: damaged, report, section: five, typecheck });

    const many = promptFor(checked([diagnostic(0, "advisory"), ...Array.from({ length: 20 }, (_, index) => diagnostic(index + 1, "error"))]));
    const listed = many.split("\n").filter((line) => line.startsWith("- code block "));
    expect(listed).toHaveLength(15);
    expect(listed[0]).toBe("- code block 1, line 2: TS2304 Cannot find name 'n1'.");
    expect(many).not.toContain("'n0'");
    expect(many).toContain(`${listed.at(-1)}\n\nFix every one: declare or import every name, and use the libraries' real APIs.`);

    // Only section 5's code is type-checked: another section's request never carries its errors.
    expect(buildRepairPrompt({ topic: "Request Deduplication", markdown: damaged, report, section: seven!, typecheck: checked([diagnostic(1, "error")]) })).not.toContain("TS2304");
    for (const none of [null, unavailableResult(damaged, "the worker crashed"), checked([diagnostic(0, "advisory")])]) {
      expect(promptFor(none)).not.toContain("The TypeScript compiler");
    }
  });
});

describe("repairContinuationPrompt", () => {
  it("asks for the rest of the section from its last character, and nothing after the section", () => {
    expect(repairContinuationPrompt(7)).toBe(
      "Your previous answer was cut off before the end of section 7 (it is the assistant message above). Continue it exactly where it stops: " +
        "the first characters you write must follow its last character directly, even in the middle of a word, a line or a code block. " +
        "Do not repeat any text, and stop at the end of section 7: no other section, no commentary.",
    );
  });
});
