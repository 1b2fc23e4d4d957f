import { describe, expect, it } from "vitest";
import { extractSectionReply } from "@/lib/repair/extract-reply";
import { judgeReplacement } from "@/lib/repair/judge";
import { sectionText } from "@/lib/repair/section-text";
import { spliceSection } from "@/lib/repair/splice";
import { analyzeSections } from "@/lib/sections/analyzer";
import { draft, REQUEST_DEDUPLICATION } from "./fixtures";

const report = (markdown: string) => analyzeSections(markdown, { final: true });

/** The judgement of putting `reply` in place of section `number` of `markdown`. */
function judge(markdown: string, number: number, reply: string) {
  const extracted = extractSectionReply(reply, number, { headingMarks: "##" });
  if (!extracted.ok) throw new Error(extracted.reason);
  return judgeReplacement(report(markdown), report(spliceSection(markdown, report(markdown).sections, number, extracted.text)), number);
}

const original = REQUEST_DEDUPLICATION;
const realSection = (number: number) => sectionText(original, report(original).sections, number)!;
const damaged = draft(original, "s7-deadlocks-timeouts");

describe("judgeReplacement: a repair never makes the document worse", () => {
  it("accepts a replacement that meets more required items and loses none, naming what it gained", () => {
    const verdict = judge(damaged, 7, realSection(7));
    expect(verdict).toMatchObject({ accepted: true, gained: ["deadlocks", "timeout-mismatches"] });
    expect(verdict.reason).toMatch(/2 more required items: Deadlocks named; Timeout mismatches named/);
  });

  it("rejects one that gains an item but loses another the original met", () => {
    const trade = realSection(7).replace(/^### Race conditions[\s\S]*?(?=^### )/m, "");
    const verdict = judge(damaged, 7, trade);
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toMatch(/would lose what the section met: Race conditions named/);
  });

  it("rejects one that gains nothing", () => {
    const verdict = judge(damaged, 7, sectionText(damaged, report(damaged).sections, 7)!);
    expect(verdict).toMatchObject({ accepted: false });
    expect(verdict.reason).toMatch(/meets no more required items.*still unmet: Deadlocks named; Timeout mismatches named/);
  });

  it("rejects one that breaks a required document rule (an emoji other than the markers)", () => {
    const verdict = judge(damaged, 7, `${realSection(7).trimEnd()}\n\nWatch the p99 🔥 closely.\n`);
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toMatch(/break a document rule \(No emoji other than the status markers.*🔥/);
  });

  it("rejects one that makes another section worse", () => {
    // A replacement for section 6 that ends in a heading the checker reads as section 7's: section 7 moves.
    const six = `${realSection(6).trimEnd()}\n\n**7. Failure Modes & Edge Cases**\n\nNothing else.\n`;
    const before = report(original);
    const after = report(spliceSection(original, before.sections, 6, six));
    const verdict = judgeReplacement(before, after, 6);
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toMatch(/^It would make section 7 worse \(Race conditions named;/);
  });

  it("accepts a missing section inserted at its place", () => {
    const withoutEleven = draft(original, "s11-missing");
    const verdict = judge(withoutEleven, 11, realSection(11));
    expect(verdict).toMatchObject({ accepted: true, gained: ["concept-count", "concept-contrast"] });
  });
});
