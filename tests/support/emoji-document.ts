/**
 * A document that breaks naive stream code: over 16 KB (several 4 KB replay pieces, more than one
 * 16 KB buffer), full of characters outside the BMP (surrogate pairs in JavaScript, 4 bytes in
 * UTF-8), other scripts, and text that looks like event-stream fields.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const LINES = [
  "## 7. Failure Modes 🔥 & Edge Cases",
  "- 🦀 The crab: a surrogate pair in UTF-16, four bytes in UTF-8.",
  "- 👩‍💻 A ZWJ sequence: three code points, five UTF-16 units.",
  "- 汉字、かな、한국어, Кириллица, العربية, עברית — other scripts.",
  "data: this line looks like an SSE field",
  "id: 12345",
  "",
  "| 🟢 state | 🟡 next | 🔴 on failure |",
  "|---|---|---|",
  "| closed | open | 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters |",
  "```ts",
  'const emoji = "🚀"; // ⏱️ retry: 2000',
  "```",
];

export const EMOJI_DOCUMENT = `# Emoji 🦀 Stress Document\n\n${Array.from({ length: 1_000 }, (_, index) => `${LINES[index % LINES.length]} (${index})`).join("\n")}\n`;

/**
 * The stress lines (minus the heading) inside a library document that satisfies all 12 sections,
 * for end-to-end tests against a server that runs the repair pass: EMOJI_DOCUMENT meets almost no
 * section, so the server would repair it, and every replay of the finished document would then
 * carry the repair's record and versions (tens of KB, in 4 KB pieces) before `end`: reads measured
 * through the cutting proxy would spend most of their cuts on events that say nothing about the text.
 */
export function emojiLibraryDocument(): string {
  const library = readFileSync(path.resolve("lib/examples/library/circuit-breaker.md"), "utf8");
  // Without the heading and the code fence: a numbered closing fence does not close, and would
  // turn the sections after it into code.
  const lines = LINES.filter((line) => !line.startsWith("#") && !line.startsWith("```") && !line.startsWith("const "));
  const stress = Array.from({ length: 240 }, (_, index) => `${lines[index % lines.length]} (${index})`).join("\n");
  const section8 = library.indexOf("\n## 8.");
  return `${library.slice(0, section8)}\n\n${stress}\n${library.slice(section8)}`;
}
