import { describe, expect, it } from "vitest";
import { topicKey, topicSchema, topicSlug } from "@/lib/documents/topic";

describe("topic validation", () => {
  it.each(["Request Deduplication", "Distributed Consensus (Raft/Paxos)", "N+1 Query Problem", "Bulkheads & Resource Isolation", "Rate Limiting — Token Bucket", "Idempotency-Keys: \"exactly once\"?", "日本語のトピック", "<img src=x onerror=alert(1)>", "x".repeat(120)])(
    "accepts %s",
    (topic) => {
      expect(topicSchema.safeParse(topic).success).toBe(true);
    },
  );

  const EMPTY = 'Topic is empty: type a system-design topic such as "Rate Limiting".';
  const CONTROL = "Topic must be a single line without control characters.";
  const LONE = "Topic contains invalid Unicode (a lone surrogate).";
  const INVISIBLE = 'Topic has no visible characters: type a system-design topic such as "Rate Limiting".';
  it.each([
    ["empty", "", EMPTY],
    ["whitespace only", "   ", EMPTY],
    ["121 characters", "x".repeat(121), "Topic is too long (121 characters; the limit is 120)."],
    ["newline", "a\nb", CONTROL],
    ["carriage return", "a\rb", CONTROL],
    ["tab", "a\tb", CONTROL],
    ["NUL", "a\u0000b", CONTROL],
    ["C1 control", "a\u0085b", CONTROL],
    ["line separator", "a\u2028b", CONTROL],
    ["lone high surrogate", "a\ud83db", LONE],
    ["lone low surrogate", "a\ude00b", LONE],
    ["very long unicode", "🦀".repeat(61), "Topic is too long (122 characters; the limit is 120)."],
    ["only zero-width spaces", "\u200b\u200b\u200b", INVISIBLE],
    ["only joiners and a BOM", "\u200d\u2060\ufeff", INVISIBLE],
    ["only an ideographic space and a soft hyphen", "\u3000\u00ad", INVISIBLE],
    ["only a soft hyphen", "\u00ad", INVISIBLE],
  ])("rejects %s", (_name, topic, message) => {
    const result = topicSchema.safeParse(topic);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.code, issue.message])).toEqual([["custom", message]]);
  });

  it("trims surrounding spaces", () => {
    expect(topicSchema.parse("  Rate Limiting  ")).toBe("Rate Limiting");
  });

  it("keys topics so that case, spacing and compatibility forms do not matter", () => {
    expect(topicKey("Rate  LIMITING")).toBe(topicKey("rate limiting"));
    expect(topicKey("ＲＡＴＥ limiting")).toBe(topicKey("rate limiting"));
    expect(topicKey("Rate Limiting")).not.toBe(topicKey("Rate Limiter"));
    expect(topicKey(" ＲＡＴＥ\t\u3000Limiting 限流 ")).toBe("rate limiting 限流");
  });

  it("makes ASCII file names that cannot break a header", () => {
    expect(topicSlug("Bulkheads & Resource Isolation")).toBe("bulkheads-resource-isolation");
    expect(topicSlug('"; rm -rf / <script>')).toBe("rm-rf-script");
    expect(topicSlug("日本語")).toBe("design-document");
    expect(topicSlug("Café Résumé")).toBe("cafe-resume");
    expect(topicSlug(`${"a".repeat(79)} tail`)).toBe("a".repeat(79));
    expect(topicSlug(`${"b".repeat(85)}`)).toBe("b".repeat(80));
  });
});
