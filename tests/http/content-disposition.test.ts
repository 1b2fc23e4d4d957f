import { describe, expect, it } from "vitest";
import { documentFileName } from "@/lib/documents/download-name";
import { contentDisposition, encodeRfc8187 } from "@/lib/http/content-disposition";

/** What a browser does with filename*: percent-decode as UTF-8. */
const decodedUnicodeName = (header: string) => decodeURIComponent(/filename\*=UTF-8''([^;\s]+)/.exec(header)![1]!);
const asciiName = (header: string) => /filename="([^"]*)"/.exec(header)![1];

describe("download names", () => {
  it.each([
    ["N+1 Query Problem", "n+1-query-problem.md", "n+1-query-problem.md"],
    ["限流", "限流.md", "design-document.md"],
    ["レート制限 (Rate Limiting)", "レート制限-rate-limiting.md", "rate-limiting.md"],
    ["속도 제한", "속도-제한.md", "design-document.md"],
    ["Café Résumé", "café-résumé.md", "cafe-resume.md"],
    ["🚀 Rocket Launch 🚀", "rocket-launch.md", "rocket-launch.md"],
    ["Distributed Consensus (Raft/Paxos)", "distributed-consensus-raft-paxos.md", "distributed-consensus-raft-paxos.md"],
    ['"; rm -rf / <script>', "rm-rf-script.md", "rm-rf-script.md"],
    ["+++", "+++.md", "design-document.md"],
  ])("%s → %s (fallback %s)", (topic, unicode, ascii) => {
    expect(documentFileName(topic, "md")).toEqual({ unicode, ascii });
    const header = contentDisposition("attachment", documentFileName(topic, "md"));
    expect(decodedUnicodeName(header)).toBe(unicode);
    expect(asciiName(header)).toBe(ascii);
  });

  it("drops the separator a cut at 80 characters leaves at the end", () => {
    const topic = `${"a".repeat(79)} tail`;
    expect(documentFileName(topic, "md")).toEqual({ unicode: `${"a".repeat(79)}.md`, ascii: `${"a".repeat(79)}.md` });
    expect(documentFileName(`${"a".repeat(80)} tail`, "md").unicode).toBe(`${"a".repeat(80)}.md`);
  });

  it("keeps grapheme clusters whole when a long topic is cut", () => {
    const family = "👨‍👩‍👧";
    const topic = `${"界".repeat(79)}e\u0301${family}`;
    const { unicode } = documentFileName(topic, "pdf");
    expect(unicode).toBe(`${"界".repeat(79)}é.pdf`);
    expect(unicode.isWellFormed()).toBe(true);
  });

  it("percent-encodes everything outside RFC 8187 attr-char, including ' ( ) *", () => {
    expect(encodeRfc8187("a'b(c)*d é")).toBe("a%27b%28c%29%2Ad%20%C3%A9");
    expect(encodeRfc8187("😀")).toBe("%F0%9F%98%80");
  });

  it("cannot be broken by quotes, backslashes or line breaks in either name", () => {
    const header = contentDisposition("inline", { unicode: 'x"\r\ny.md', ascii: 'x"\\\r\ny.md' });
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(`inline; filename="x____y.md"; filename*=UTF-8''x%22%0D%0Ay.md`);
  });
});
