import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";

/** What a bad configuration must not do: start, and then fail (or leak) on every request. */
describe("configuration refused at start", () => {
  it("refuses OPENAI_BASE_URL with credentials, says to use OPENAI_API_KEY, and does not repeat the password", () => {
    const attempt = () => parseConfig({ OPENAI_BASE_URL: "http://user:hunter2-pass@10.0.0.5:8000/v1", OPENAI_MODEL: "m" });
    expect(attempt).toThrow(/OPENAI_BASE_URL/);
    expect(attempt).toThrow(/OPENAI_API_KEY/);
    let message = "";
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain("hunter2-pass");
    expect(message).not.toContain("user:");
    // A token alone in the user part is a credential too.
    expect(() => parseConfig({ OPENAI_BASE_URL: "https://sk-abcdef0123456789@openrouter.example/v1", OPENAI_MODEL: "m" })).toThrow(/OPENAI_API_KEY/);
    expect(parseConfig({ OPENAI_BASE_URL: "http://10.0.0.5:8000/v1", OPENAI_MODEL: "m" }).openaiBaseUrl).toBe("http://10.0.0.5:8000/v1");
  });

  it("refuses PRIVATE_READS=1 without ACCESS_TOKEN instead of leaving reads public", () => {
    expect(() => parseConfig({ PRIVATE_READS: "1" })).toThrow(/PRIVATE_READS.*ACCESS_TOKEN/);
    expect(parseConfig({ PRIVATE_READS: "1", ACCESS_TOKEN: "a-long-token" }).privateReads).toBe(true);
    expect(parseConfig({ PRIVATE_READS: "0" }).privateReads).toBe(false);
  });

  it("reads PUBLIC_URL as an origin and ALLOWED_ORIGINS as a list of origins", () => {
    const config = parseConfig({ PUBLIC_URL: "https://docs.example.com/studio", ALLOWED_ORIGINS: "https://a.example, http://b.example:8080/" });
    expect(config.publicUrl).toBe("https://docs.example.com");
    expect(config.allowedOrigins).toEqual(["https://a.example", "http://b.example:8080"]);
    expect(parseConfig({}).allowedOrigins).toEqual([]);
    expect(() => parseConfig({ PUBLIC_URL: "docs.example.com" })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: "https://a.example, not an origin" })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: "ftp://a.example" })).toThrow(/ALLOWED_ORIGINS/);
  });

  it("reads the spend limits and retention as optional whole numbers", () => {
    const config = parseConfig({ MAX_TOKENS_PER_DOCUMENT: "50000", DAILY_TOKEN_BUDGET: "2000000", RETENTION_DAYS: "30" });
    expect(config.maxTokensPerDocument).toBe(50_000);
    expect(config.dailyTokenBudget).toBe(2_000_000);
    expect(config.retentionDays).toBe(30);
    const none = parseConfig({});
    expect(none.maxTokensPerDocument).toBeUndefined();
    expect(none.dailyTokenBudget).toBeUndefined();
    expect(none.retentionDays).toBeUndefined();
    expect(() => parseConfig({ DAILY_TOKEN_BUDGET: "lots" })).toThrow(/DAILY_TOKEN_BUDGET/);
    expect(() => parseConfig({ RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS/);
  });
});
