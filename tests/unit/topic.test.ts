import { describe, expect, it } from "vitest";
import { topicKey, topicSchema, topicSlug } from "@/lib/documents/topic";

describe("topic validation", () => {
  it.each(["Request Deduplication", "Distributed Consensus (Raft/Paxos)", "N+1 Query Problem", "Bulkheads & Resource Isolation", "Rate Limiting — Token Bucket", "Idempotency-Keys: \"exactly once\"?", "日本語のトピック", "<img src=x onerror=alert(1)>", "x".repeat(120)])(
    "accepts %s",
    (topic) => {
      expect(topicSchema.safeParse(topic).success).toBe(true);
    },
  );

  it.each([
    ["empty", ""],
    ["whitespace only", "   "],
    ["121 characters", "x".repeat(121)],
    ["newline", "a\nb"],
    ["carriage return", "a\rb"],
    ["tab", "a\tb"],
    ["NUL", "a\u0000b"],
    ["C1 control", "a\u0085b"],
    ["line separator", "a\u2028b"],
    ["lone high surrogate", "a\ud83db"],
    ["lone low surrogate", "a\ude00b"],
    ["very long unicode", "🦀".repeat(61)],
    ["only zero-width spaces", "\u200b\u200b\u200b"],
    ["only joiners and a BOM", "\u200d\u2060\ufeff"],
    ["only an ideographic space and a soft hyphen", "\u3000\u00ad"],
  ])("rejects %s", (_name, topic) => {
    const result = topicSchema.safeParse(topic);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message.length).toBeGreaterThan(10);
  });

  it("trims surrounding spaces", () => {
    expect(topicSchema.parse("  Rate Limiting  ")).toBe("Rate Limiting");
  });

  it("keys topics so that case, spacing and compatibility forms do not matter", () => {
    expect(topicKey("Rate  LIMITING")).toBe(topicKey("rate limiting"));
    expect(topicKey("ＲＡＴＥ limiting")).toBe(topicKey("rate limiting"));
    expect(topicKey("Rate Limiting")).not.toBe(topicKey("Rate Limiter"));
  });

  it("makes ASCII file names that cannot break a header", () => {
    expect(topicSlug("Bulkheads & Resource Isolation")).toBe("bulkheads-resource-isolation");
    expect(topicSlug('"; rm -rf / <script>')).toBe("rm-rf-script");
    expect(topicSlug("日本語")).toBe("design-document");
    expect(topicSlug("Café Résumé")).toBe("cafe-resume");
  });
});
