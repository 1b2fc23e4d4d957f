import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

const PROMPT_FILE = path.join(/* turbopackIgnore: true */ process.cwd(), "prompts", "master-prompt.txt");
const TOPIC_PLACEHOLDERS = ["<INSERT_TOPIC_NAME_HERE>", "<TOPIC NAME>"] as const;

export interface MasterPrompt {
  template: string;
  /** Content hash: documents record which prompt wrote them, so a prompt edit never passes silently. */
  version: string;
}

export function loadMasterPrompt(file: string = PROMPT_FILE): MasterPrompt {
  const template = readFileSync(file, "utf8");
  if (!template.includes(TOPIC_PLACEHOLDERS[0])) {
    throw new Error(`${file} has no ${TOPIC_PLACEHOLDERS[0]} placeholder`);
  }
  const version = `mp-${createHash("sha256").update(template).digest("hex").slice(0, 12)}`;
  return { template, version };
}

export function fillMasterPrompt(template: string, topic: string): string {
  // split/join instead of replace(): a topic containing "$&" must be inserted literally.
  return TOPIC_PLACEHOLDERS.reduce((text, placeholder) => text.split(placeholder).join(topic), template);
}

let cached: MasterPrompt | undefined;

export function getMasterPrompt(): MasterPrompt {
  cached ??= loadMasterPrompt();
  return cached;
}
