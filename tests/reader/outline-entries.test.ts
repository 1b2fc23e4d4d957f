import { describe, expect, it } from "vitest";
import { outlineEntries } from "@/components/reader/outline-entries";

const heading = (tagName: string, textContent: string | null) => ({ tagName, textContent });

describe("table of contents entries", () => {
  it("lists H2 and H3 headings in order, with their level and trimmed text, in any script", () => {
    const found = [heading("H2", "1. Context & Scope"), heading("H3", " 限流 🚦 "), heading("H2", "2. Goals")];
    const { headings, entries } = outlineEntries(found);
    expect(entries).toEqual([
      { level: 2, text: "1. Context & Scope" },
      { level: 3, text: "限流 🚦" },
      { level: 2, text: "2. Goals" },
    ]);
    expect(headings).toEqual(found);
  });

  it("leaves out a heading with no text yet, keeping the headings aligned with the entries", () => {
    const found = [heading("H2", "1. Context"), heading("H3", ""), heading("H3", "  \n"), heading("H2", null), heading("H3", "Retry budget")];
    const { headings, entries } = outlineEntries(found);
    expect(entries).toEqual([
      { level: 2, text: "1. Context" },
      { level: 3, text: "Retry budget" },
    ]);
    expect(headings).toEqual([found[0], found[4]]);
  });
});
