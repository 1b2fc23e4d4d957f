/**
 * A document that breaks naive stream code: over 16 KB (several 4 KB replay pieces, more than one
 * 16 KB buffer), full of characters outside the BMP (surrogate pairs in JavaScript, 4 bytes in
 * UTF-8), other scripts, and text that looks like event-stream fields.
 */
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
