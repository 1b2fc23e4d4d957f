import type { LanguageModelUsage } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import type { DesignDocument } from "@/lib/documents/types";
import type { FirstPassContext } from "@/lib/generation/first-pass";
import { GenerationJob } from "@/lib/generation/job";
import { PartsBoard } from "@/lib/generation/parallel/parts-board";
import { partRequest } from "@/lib/generation/parallel/part-request";
import { freshProgress } from "@/lib/generation/parallel/plan";

function setUp() {
  const job = new GenerationJob("doc", { text: "", continuations: 0, version: 1 });
  const board = new PartsBoard(job, freshProgress(true));
  const usages: LanguageModelUsage[] = [];
  const context = {
    job,
    document: {} as DesignDocument,
    model: new MockLanguageModelV3(),
    prompt: {} as FirstPassContext["prompt"],
    config: parseConfig({ OPENAI_API_KEY: "sk-test-part-request", IDLE_TIMEOUT_MS: "4321", MAX_CONTINUATIONS: "2" }),
    onUsage: async (usage: LanguageModelUsage) => {
      usages.push(usage);
    },
  } satisfies FirstPassContext;
  return { job, board, context, usages };
}

const usage = (inputTokens: number | undefined, outputTokens: number | undefined) => ({ inputTokens, outputTokens }) as LanguageModelUsage;

describe("a part's model request", () => {
  it("uses the generation's model and limits, in the seed style, and keeps the API key out of what it shows", () => {
    const { board, context } = setUp();
    const request = partRequest(context, board, { section: 5, part: 2 }, "Section 5, part 2");
    expect(request.model).toBe(context.model);
    expect(request.promptStyle).toBe("seed");
    expect(request.idleTimeoutMs).toBe(4321);
    expect(request.maxContinuations).toBe(2);
    expect(request.secrets).toContain("sk-test-part-request");
  });

  it("reports to its own part and to the job: activity, continuations, tokens (also to the spend limits) and named notes", async () => {
    const { job, board, context, usages } = setUp();
    const key = { section: 5, part: 2 };
    const other = { section: 5, part: 1 };
    const request = partRequest(context, board, key, "Section 5, part 2 🦀");

    request.onActivity?.("thinking");
    expect(job.activity).toBe("thinking");
    request.onContinuation?.(1);
    request.onContinuation?.(2);
    await request.onUsage?.(usage(1200, 340));
    await request.onUsage?.(usage(undefined, 10)); // a provider that does not say counts as 0
    request.onNote?.("retried", "HTTP 503, attempt 2 of 3");

    expect(board.part(key)).toMatchObject({ continuations: 2, inputTokens: 1200, outputTokens: 350 });
    expect(board.part(other)).toMatchObject({ continuations: 0, inputTokens: 0, outputTokens: 0 });
    expect(job.continuations).toBe(2);
    expect(usages).toEqual([usage(1200, 340), usage(undefined, 10)]);
    expect(job.history.map(({ kind, message }) => ({ kind, message }))).toEqual([{ kind: "retried", message: "Section 5, part 2 🦀: HTTP 503, attempt 2 of 3" }]);
  });
});
