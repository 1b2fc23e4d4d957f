import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import type { ModelActivity } from "@/lib/events/document-events";
import { GenerationJob } from "@/lib/generation/job";
import { runSinglePass } from "@/lib/generation/single-pass";
import { getMasterPrompt } from "@/lib/prompts/master-prompt";
import { answeringModel } from "../support/answering-model";
import { designDocument } from "../support/design-document";

describe("single mode's first pass", () => {
  it("writes the filled master prompt's answer into the job, continues it at the output limit, and reports each request's usage", async () => {
    const { model, prompts: requests } = answeringModel([
      { text: "# Rate Limiting\n\nPart one 🦀", finish: "length" },
      { text: " and part two.\n", finish: "stop" },
    ]);
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
    expect(usages).toEqual([28, 15]);
    expect(requests[0]?.map((message) => message.role)).toEqual(["user"]);
    // The master prompt, filled with the topic (in any script).
    expect(JSON.stringify(requests[0])).toContain("限流 Rate Limiting");
    expect(requests[1]?.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  });
});
