import { describe, expect, it } from "vitest";
import type { DocumentError } from "@/lib/documents/document-error";
import { parseSectionNumber } from "@/lib/documents/resume-document";
import { SECTIONS } from "@/lib/sections/rubric";
import { thrownBy } from "../support/thrown";

const refusal = (value: string) => thrownBy<DocumentError>(() => parseSectionNumber(value));

describe("a section number in a request path", () => {
  it("accepts 1 to the last section, with or without a leading zero", () => {
    expect(parseSectionNumber("1")).toBe(1);
    expect(parseSectionNumber("07")).toBe(7);
    expect(parseSectionNumber(String(SECTIONS.length))).toBe(SECTIONS.length);
  });

  it("refuses 0, one past the last, three digits, signs, fractions and words, naming the range", () => {
    for (const value of ["0", "00", String(SECTIONS.length + 1), "001", "-1", "+1", "1.5", " 1", "1 ", "", "one", "١"]) {
      const error = refusal(value);
      expect(error.code, value).toBe("invalid_section");
      expect(error.message).toContain(`sections are numbered 1 to ${SECTIONS.length}`);
    }
  });

  it("quotes at most 20 characters of what was sent, never half an emoji", () => {
    const long = "x".repeat(19) + "yz".repeat(100);
    expect(refusal(long).message).toContain(`"${"x".repeat(19)}y"`);
    expect(refusal(long).message).not.toContain("yz");
    const emoji = "🔥".repeat(30);
    expect(refusal(emoji).message).toContain(`"${"🔥".repeat(20)}"`);
    expect(refusal(emoji).message.isWellFormed()).toBe(true);
  });
});
