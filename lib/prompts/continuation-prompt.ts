import { readFileSync } from "node:fs";
import path from "node:path";
import type { ModelMessage } from "ai";
import { analyzeSections } from "@/lib/sections/analyzer";
import { CONTRACT_REMINDER, sectionContract } from "./section-contract";
import type { PromptStyle } from "./style";

let cached: string | undefined;

function continuationInstruction(): string {
  cached ??= readFileSync(path.join(/* turbopackIgnore: true */ process.cwd(), "prompts", "continuation-prompt.txt"), "utf8").trim();
  return cached;
}

/** The section the text stops in (the last one whose heading was written), or null before section 1. */
function sectionBeingWritten(textSoFar: string): number | null {
  let current: { number: number; start: number } | null = null;
  for (const section of analyzeSections(textSoFar).sections) {
    if (section.start !== null && (current === null || section.start > current.start)) current = { number: section.number, start: section.start };
  }
  return current?.number ?? null;
}

/**
 * What the model is told after a cut. With the contract style it is also reminded of the
 * contract, and given again the lines of the section it stopped in: after thousands of
 * tokens of its own text, the contract in the first message is far behind it.
 */
export function continuationPrompt(style: PromptStyle, textSoFar: string): string {
  const base = continuationInstruction();
  if (style === "seed") return base;
  const current = sectionBeingWritten(textSoFar);
  const reminder = current === null ? CONTRACT_REMINDER : `${CONTRACT_REMINDER} The text stops in this section; its lines still apply:\n\n${sectionContract(current)}`;
  return `${base}\n\n${reminder}`;
}

/** The conversation for a request: the filled prompt, plus the text so far when resuming (told `instruction`, or the document's continuation prompt). */
export function buildMessages(filledPrompt: string, textSoFar: string, style: PromptStyle, instruction?: string): ModelMessage[] {
  if (!textSoFar) return [{ role: "user", content: filledPrompt }];
  return [
    { role: "user", content: filledPrompt },
    { role: "assistant", content: textSoFar },
    { role: "user", content: instruction ?? continuationPrompt(style, textSoFar) },
  ];
}
