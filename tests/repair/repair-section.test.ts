import type { LanguageModelV3 } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { ActivityMix } from "@/lib/generation/activity-mix";
import { GenerationJob } from "@/lib/generation/job";
import { repairContinuationPrompt } from "@/lib/generation/repair/repair-prompt";
import { repairSection } from "@/lib/generation/repair/repair-section";
import { roundBase } from "@/lib/generation/repair/run-round";
import type { RepairContext } from "@/lib/generation/repair/types";
import type { ModelActivity } from "@/lib/events/document-events";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import { sectionText } from "@/lib/repair/section-text";
import { analyzeSections } from "@/lib/sections/analyzer";
import { answeringModel } from "../support/answering-model";
import { draft, REQUEST_DEDUPLICATION } from "./fixtures";

const original = REQUEST_DEDUPLICATION;
const seven = sectionText(original, analyzeSections(original, { final: true }).sections, 7)!;
function setup(model: LanguageModelV3) {
  const first = draft(original, "s7-deadlocks-timeouts");
  const job = new GenerationJob("doc", { text: first, continuations: 0, version: 1 });
  const activities: ModelActivity[] = [];
  const context: RepairContext = {
    job,
    model,
    topic: "Request Deduplication",
    promptStyle: "contract",
    settings: { maxOutputTokens: undefined, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 5_000, maxContinuations: 2, maxAttempts: 1, retryBaseDelayMs: 10, maxRetryAfterMs: 1_000 },
    spend: { onUsage: async () => {}, stopReason: () => null },
    concurrency: 1,
    activity: new ActivityMix((activity) => activities.push(activity)),
    typecheck: () => Promise.reject(new Error("section 7 is not type-checked")),
    saveVersion: () => Promise.reject(new Error("not here")),
  };
  const base = roundBase(first, 1, null);
  const [section] = sectionsToRepair(base.checkedReport, null);
  return { job, context, base, section: section!, activities };
}

describe("repairSection: one section's request", () => {
  it("continues a reply cut at the output limit with the repair's own instruction, notes it for the section, and judges the whole reply", async () => {
    const cut = seven.length >> 1;
    const { model, prompts } = answeringModel([
      { text: seven.slice(0, cut), finish: "length" },
      { text: seven.slice(cut), finish: "stop" },
    ]);
    const { job, context, base, section, activities } = setup(model);
    const result = await repairSection(context, base, section, 2, "");
    expect(result.kind).toBe("judged");
    expect(result.kind === "judged" && result.judgement.accepted).toBe(true);
    expect(result.usage.outputTokens).toBe(seven.length);
    const continuation = prompts[1]!;
    const lastUser = continuation.filter((message) => message.role === "user").at(-1);
    expect(lastUser?.content).toEqual([{ type: "text", text: repairContinuationPrompt(7) }]);
    expect(job.history.map((entry) => entry.message)).toEqual([expect.stringMatching(/^The repair of section 7 \(round 2\): The model stopped at its output-token limit/)]);
    expect(job.repairDrafts).toEqual([{ number: 7, round: 2, text: seven }]);
    // The section counted as writing while it streamed, and no more once it ended.
    expect(activities).toContain("writing");
    expect(activities.at(-1)).toBe("waiting");
  });
});
