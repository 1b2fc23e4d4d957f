import { describe, expect, it } from "vitest";
import { redactSecrets } from "@/lib/redaction/redact-secrets";

describe("redactSecrets", () => {
  it.each([
    ["an OpenAI key quoted by a 401", "Incorrect API key provided: sk-proj-AbCdEf1234567890xyz. You can find your key…", "Incorrect API key provided: [redacted]. You can find your key…"],
    ["a Bearer header", "Invalid header: Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9-x_y", "Invalid header: Authorization: Bearer [redacted]"],
    ["a bearer in lower case", "bearer abcdef123456", "bearer [redacted]"],
    ["URL credentials", "fetch failed: http://user:p%40ss@10.0.0.5:8000/v1/chat", "fetch failed: http://[redacted]@10.0.0.5:8000/v1/chat"],
    ["a token in a URL", "connect https://tok3n@host/v1", "connect https://[redacted]@host/v1"],
    ["an OpenRouter key", "key sk-or-v1-0123456789abcdef0123 rejected", "key [redacted] rejected"],
  ])("removes %s", (_name, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("removes configured secrets of any shape, wherever they appear", () => {
    expect(redactSecrets("the key local-key-1234 is wrong; local-key-1234 again", ["local-key-1234"])).toBe("the key [redacted] is wrong; [redacted] again");
  });

  it("leaves ordinary text alone", () => {
    const text = "The model provider answered with HTTP 429: Rate limit reached for gpt-4.1 (see https://platform.openai.com/docs). Ask-me-later";
    expect(redactSecrets(text, [undefined, "", "abc"])).toBe(text);
  });
});

describe("the configured secrets", () => {
  it("include the passwords of DATABASE_URL and REDIS_URL, so a message quoting either is redacted", async () => {
    const { redactorFor } = await import("@/lib/redaction/configured-secrets");
    const redact = redactorFor({
      openaiApiKey: undefined,
      accessToken: undefined,
      databaseUrl: "postgres://studio:pg-Pass-7731@db/studio",
      redisUrl: "redis://:redis-Pass-9f3e@cache:6379/2",
    });
    const message = redact("AUTH redis-Pass-9f3e failed; pg said pg-Pass-7731");
    expect(message).not.toContain("redis-Pass-9f3e");
    expect(message).not.toContain("pg-Pass-7731");
  });
});
