/**
 * Text that breaks storage code: non-BMP characters (emoji are surrogate pairs in UTF-16 and four
 * bytes in UTF-8), CJK and right-to-left scripts, combining marks, and documents well over 16 KB.
 */
export const UNICODE_TOPICS = ["分散合意 🦀 Raft", "Ограничение скорости ⚡", "التخزين المؤقت 🗄️", "キャッシュ無効化 👩‍💻", "Café Cache-Control"] as const;

export function bigUnicodeDocument(topic: string, lines = 700): string {
  const body = Array.from({ length: lines }, (_, index) => `- ${index}: 👩‍💻 汉字かな 한국어 Ελληνικά ${"🦀".repeat(index % 4)} e\u0301 ${"=".repeat(index % 9)}\n`).join("");
  return `# ${topic}\n\n## 1. The real problem\n\n${body}`;
}
