import { afterEach, describe, expect, it, vi } from "vitest";
import { DocumentError } from "@/lib/documents/document-error";
import { requireTokensAvailable, spendStopReason, utcDay } from "@/lib/documents/token-budget";
import { thrownBy } from "../support/thrown";

const refusal = (action: () => void) => thrownBy<DocumentError>(action);

describe("token budget", () => {
  afterEach(() => void vi.useRealTimers());
  const limits = { maxTokensPerDocument: 10_000, dailyTokenBudget: 1_000_000 };

  it("counts days in UTC", () => {
    expect(utcDay(new Date("2026-11-30T23:59:59.999-05:00"))).toBe("2026-12-01");
    expect(utcDay(new Date("2026-11-30T00:00:00Z"))).toBe("2026-11-30");
  });

  it("allows a request below both limits, and any request without limits", () => {
    expect(() => requireTokensAvailable(limits, { document: 9_999, today: 999_999 })).not.toThrow();
    expect(() => requireTokensAvailable({ maxTokensPerDocument: undefined, dailyTokenBudget: undefined }, { document: 1e12, today: 1e12 })).not.toThrow();
    expect(spendStopReason(limits, { document: 0, today: 0 })).toBeNull();
  });

  it("refuses at the document's limit, saying how much was used", () => {
    const error = refusal(() => requireTokensAvailable(limits, { document: 10_000, today: 0 }));
    expect(error.code).toBe("document_token_limit");
    expect(error.message).toContain("used 10,000 model tokens");
    expect(error.message).toContain("MAX_TOKENS_PER_DOCUMENT is 10,000");
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it("refuses at the daily budget until the next UTC midnight, the daily budget first", () => {
    vi.useFakeTimers({ now: new Date("2026-11-30T23:59:30.200Z") });
    const error = refusal(() => requireTokensAvailable(limits, { document: 20_000, today: 1_000_000 }));
    expect(error.code).toBe("token_budget_exhausted");
    expect(error.message).toContain("used 1,000,000 model tokens today");
    expect(error.message).toContain("DAILY_TOKEN_BUDGET is 1,000,000");
    expect(error.retryAfterSeconds).toBe(30);
    vi.setSystemTime(new Date("2026-11-30T23:59:59.999Z"));
    expect(refusal(() => requireTokensAvailable(limits, { document: 0, today: 2_000_000 })).retryAfterSeconds).toBe(1);
    vi.setSystemTime(new Date("2026-12-01T00:00:00Z"));
    expect(refusal(() => requireTokensAvailable(limits, { document: 0, today: 2_000_000 })).retryAfterSeconds).toBe(86_400);
  });

  it("spendStopReason is the refusal's message", () => {
    expect(spendStopReason(limits, { document: 10_001, today: 0 })).toMatch(/^This document has used 10,001 model tokens/);
  });
});
