import type { LanguageModelV3, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import type { ModelActivity } from "@/lib/events/document-events";
import { GenerationJob } from "@/lib/generation/job";
import { runSinglePass } from "@/lib/generation/single-pass";
import { getMasterPrompt } from "@/lib/prompts/master-prompt";
import { designDocument } from "../support/design-document";

/** Answers the first request with `first` cut at the output limit, and a continuation with `rest`; keeps each request's messages. */
function cutOnce(first: string, rest: string) {
  const requests: Parameters<LanguageModelV3["doStream"]>[0]["prompt"][] = [];
  const model: LanguageModelV3 = {
    specificationVersion: "v3",
    provider: "test",
    modelId: "cut-once",
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error("stream only")),
    async doStream(options) {
      requests.push(options.prompt);
      const [text, finish] = requests.length === 1 ? [first, "length" as const] : [rest, "stop" as const];
      const parts: LanguageModelV3StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "t" },
        { type: "text-delta", id: "t", delta: text },
        { type: "text-end", id: "t" },
        {
          type: "finish",
          finishReason: { unified: finish, raw: finish },
          usage: { inputTokens: { total: 10, noCache: undefined, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 5, text: undefined, reasoning: undefined } },
        },
      ];
      return { stream: new ReadableStream({ start: (controller) => (parts.forEach((part) => controller.enqueue(part)), controller.close()) }) };
    },
  };
  return { model, requests };
}

describe("single mode's first pass", () => {
  it("writes the filled master prompt's answer into the job, continues it at the output limit, and reports each request's usage", async () => {
    const { model, requests } = cutOnce("# Rate Limiting\n\nPart one 🦀", " and part two.\n");
    const document = designDocument({ status: "generating", markdown: "" });
    const job = new GenerationJob(document.id, { text: "", continuations: 0, version: 1 });
    const activities: ModelActivity[] = [];
    job.subscribe((event) => {
      if (event.type === "activity") activities.push(event.activity);
    });
    const usages: number[] = [];
    const outcome = await runSinglePass({
      job,
      document,
      model,
      prompt: getMasterPrompt("contract"),
      config: parseConfig({ OPENAI_BASE_URL: "http://127.0.0.1:1/v1", OPENAI_MODEL: "m", MAX_CONTINUATIONS: "2" }),
      onUsage: async (usage) => {
        usages.push(usage.outputTokens ?? 0);
      },
    });
    expect(outcome).toMatchObject({ status: "complete", continuations: 1, markdown: "# Rate Limiting\n\nPart one 🦀 and part two.\n" });
    expect(job.text).toBe(outcome.markdown);
    expect(job.continuations).toBe(1);
    expect(job.history.map((entry) => entry.kind)).toEqual(["continued_after_length"]);
    expect(activities).toContain("writing");
    expect(usages).toEqual([5, 5]);
    expect(requests[0]?.map((message) => message.role)).toEqual(["user"]);
    // The master prompt, filled with the topic (in any script).
    expect(JSON.stringify(requests[0])).toContain("限流 Rate Limiting");
    expect(requests[1]?.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  });
});
