import { readFileSync } from "node:fs";
import path from "node:path";
import type { ModelMessage } from "ai";

let cached: string | undefined;

function continuationInstruction(): string {
  cached ??= readFileSync(path.join(/* turbopackIgnore: true */ process.cwd(), "prompts", "continuation-prompt.txt"), "utf8").trim();
  return cached;
}

/** The conversation for a request: the filled prompt, plus the text so far when resuming. */
export function buildMessages(filledPrompt: string, textSoFar: string): ModelMessage[] {
  if (!textSoFar) return [{ role: "user", content: filledPrompt }];
  return [
    { role: "user", content: filledPrompt },
    { role: "assistant", content: textSoFar },
    { role: "user", content: continuationInstruction() },
  ];
}
