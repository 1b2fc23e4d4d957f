import { describe, expect, it } from "vitest";
import { requestTokens, tokenUsage } from "@/lib/generation/token-usage";

const usage = (inputTokens: number | undefined, outputTokens: number | undefined, totalTokens: number | undefined) => ({
  inputTokens,
  outputTokens,
  totalTokens,
  inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
  outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
});

describe("a request's token usage", () => {
  it("keeps the counts the provider reported, 0 for one it left out", () => {
    expect(tokenUsage(usage(120, 30, 150))).toEqual({ inputTokens: 120, outputTokens: 30 });
    expect(tokenUsage(usage(undefined, undefined, undefined))).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it("counts the provider's total against the limits, or else input plus output", () => {
    // A reasoning model's total can exceed input + output as reported.
    expect(requestTokens(usage(120, 30, 400))).toEqual({ input: 120, output: 30, total: 400 });
    expect(requestTokens(usage(120, 30, undefined))).toEqual({ input: 120, output: 30, total: 150 });
    expect(requestTokens(usage(undefined, 30, undefined))).toEqual({ input: 0, output: 30, total: 30 });
    expect(requestTokens(usage(7, undefined, 0))).toEqual({ input: 7, output: 0, total: 0 });
  });
});
