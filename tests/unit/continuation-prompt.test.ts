import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildMessages, continuationPrompt } from "@/lib/prompts/continuation-prompt";
import { CONTRACT_REMINDER, sectionContract } from "@/lib/prompts/section-contract";
import { compliant } from "../sections/helpers";

const base = readFileSync(new URL("../../prompts/continuation-prompt.txt", import.meta.url), "utf8").trim();

/** The compliant fixture cut in the middle of a line of section `n` (after its heading). */
function cutIn(n: number): string {
  const doc = compliant();
  const heading = doc.search(new RegExp(`^## ${n}\\. `, "m"));
  const next = doc.slice(heading + 1).search(/^## \d+\. /m);
  const end = next < 0 ? doc.length : heading + 1 + next;
  return doc.slice(0, Math.floor((heading + end) / 2));
}

describe("continuation prompt", () => {
  it("with the seed style, is the continuation instruction alone", () => {
    expect(continuationPrompt("seed", cutIn(5))).toBe(base);
  });

  it.each([1, 5, 9, 12])("with the contract style, reminds the model of the contract and repeats the lines of section %i, where the text stops", (n) => {
    const prompt = continuationPrompt("contract", cutIn(n));
    expect(prompt.startsWith(`${base}\n\n${CONTRACT_REMINDER}`)).toBe(true);
    expect(prompt.endsWith(sectionContract(n))).toBe(true);
    for (const other of [1, 5, 9, 12].filter((m) => m !== n)) expect(prompt).not.toContain(sectionContract(other));
  });

  it("before any section heading, reminds the model of the contract only", () => {
    expect(continuationPrompt("contract", "# Request Coalescing\n\nThe document")).toBe(`${base}\n\n${CONTRACT_REMINDER}`);
  });

  it("is the third message of a resumed request, after the text so far", () => {
    const text = cutIn(7);
    const messages = buildMessages("PROMPT", text, "contract");
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(messages[1]?.content).toBe(text);
    expect(messages[2]?.content).toBe(continuationPrompt("contract", text));
    expect(buildMessages("PROMPT", "", "contract")).toEqual([{ role: "user", content: "PROMPT" }]);
  });
});
