import { describe, expect, it } from "vitest";
import { extractSectionReply } from "@/lib/repair/extract-reply";

const SECTION_5 = [
  "## 5. Full Production-Grade Implementation",
  "",
  "The client 🦀:",
  "",
  "```ts",
  "export async function get(url: string, signal: AbortSignal): Promise<string> {",
  "  return (await fetch(url, { signal })).text();",
  "}",
  "```",
  "",
  "```",
  "diagram --> box",
  "```",
  "",
  "Done.",
].join("\n");

const ok = (reply: string, number = 5, headingMarks = "##") => {
  const result = extractSectionReply(reply, number, { headingMarks });
  if (!result.ok) throw new Error(result.reason);
  return result.text;
};

describe("extractSectionReply: model output is untrusted", () => {
  it("keeps a clean reply as it is", () => {
    expect(ok(SECTION_5)).toBe(SECTION_5);
  });

  it("drops a preamble and an H1 before the heading, and trailing rules", () => {
    expect(ok(`Sure, here it is.\n\n# Request Deduplication\n\n${SECTION_5}\n\n---\n`)).toBe(SECTION_5);
  });

  it("cuts a ```markdown wrapper and the sign-off after it, keeping the section's own code blocks (bare fences too)", () => {
    expect(ok(`Here is the rewritten section:\n\n\`\`\`markdown\n${SECTION_5}\n\`\`\`\n\nLet me know if you need more.\n`)).toBe(SECTION_5);
    expect(ok(`\`\`\`md\n${SECTION_5}\n\`\`\``)).toBe(SECTION_5);
  });

  it("writes the heading the way the document does", () => {
    expect(ok("### 7 — Failure Modes & Edge Cases\n\nText.", 7, "##")).toBe("## 7. Failure Modes & Edge Cases\n\nText.");
    expect(ok("## Failure Modes & Edge Cases\n\nText.", 7, "#")).toBe("# 7. Failure Modes & Edge Cases\n\nText.");
  });

  it.each([
    ["a reply that also writes another section", `${SECTION_5}\n\n## 6. Correct Usage Patterns\n\nMore.`, /also writes section 6/],
    ["a reply for another section", "## 4. Correct Design & Algorithm\n\nText.", /no heading for section 5|also writes section 4/],
    ["a reply without a heading", "Here is the implementation, without its heading.", /no heading for section 5/],
    ["a reply that is only the heading", "## 5. Full Production-Grade Implementation\n\n---\n", /only the heading/],
  ])("refuses %s", (_name, reply, reason) => {
    const result = extractSectionReply(reply, 5, { headingMarks: "##" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("shows nothing of a streaming reply until its heading has arrived, then the section so far", () => {
    expect(extractSectionReply("Sure, here", 5, { headingMarks: "##", partial: true }).ok).toBe(false);
    expect(extractSectionReply(`Sure:\n\n${SECTION_5.slice(0, 60)}`, 5, { headingMarks: "##", partial: true })).toEqual({ ok: true, text: SECTION_5.slice(0, 60).trimEnd() });
  });
});
