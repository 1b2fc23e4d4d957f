import { describe, expect, it } from "vitest";
import { roleLine, seedBlock } from "@/lib/generation/repair/seed-prompt-parts";

const SEED = [
  "Intro line.",
  "You are an engineer who writes runbooks.",
  "",
  "RULES (MANDATORY)",
  "",
  "- Rule one",
  "",
  "- Rule two",
  "",
  "STYLE CONSTRAINTS",
  "",
  "- Be brief",
  "",
  "DOCUMENT STRUCTURE (MANDATORY)",
  "",
  "1. First",
].join("\n");

describe("the seed prompt's parts a repair repeats", () => {
  it("cuts a block from its heading to the next capitals heading, across blank lines inside it", () => {
    expect(seedBlock(SEED, "RULES (MANDATORY)")).toBe("RULES (MANDATORY)\n\n- Rule one\n\n- Rule two");
    expect(seedBlock(SEED, "STYLE CONSTRAINTS")).toBe("STYLE CONSTRAINTS\n\n- Be brief");
  });

  it("takes a block to the end of the seed when no heading follows, and gives nothing for a heading the seed lacks", () => {
    expect(seedBlock(SEED, "DOCUMENT STRUCTURE (MANDATORY)")).toBe("DOCUMENT STRUCTURE (MANDATORY)\n\n1. First");
    expect(seedBlock("RULES\n- only", "RULES")).toBe("RULES\n- only");
    expect(seedBlock(SEED, "QUALITY BAR")).toBe("");
    // A heading at the very start of the seed is found.
    expect(seedBlock("STYLE\n\n- Be brief\n\nNEXT HEADING\n", "STYLE")).toBe("STYLE\n\n- Be brief");
  });

  it("does not end a block at a short or lower-case line after a blank one", () => {
    expect(seedBlock("RULES\n\n- a\n   \nNEXT HEADING\n", "RULES")).toBe("RULES\n\n- a");
    expect(seedBlock("RULES\n\n- a\n\nAB\n- b\n\nSome prose line\n- c\n\nEND OF IT\n", "RULES")).toBe("RULES\n\n- a\n\nAB\n- b\n\nSome prose line\n- c");
  });

  it("takes the role line whole, or a plain one when the seed has none", () => {
    expect(roleLine(SEED)).toBe("You are an engineer who writes runbooks.");
    expect(roleLine("Hello. You are reading the intro.\nYou are the writer: You are here.\n")).toBe("You are the writer: You are here.");
    expect(roleLine("As you are an engineer, write.\n")).toBe("You are a senior backend systems engineer.");
  });
});
