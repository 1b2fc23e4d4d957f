import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { messageText } from "../support/fake-openai/server";
import { useStudioHarness } from "../support/studio-harness";

// GENERATION_MODE makes parallel the default here; the limit is reached after the outline and a section or two.
const h = useStudioHarness({ GENERATION_MODE: "parallel", SECTION_CONCURRENCY: "3", MAX_TOKENS_PER_DOCUMENT: "4000" });
const FIXTURE = readFileSync("lib/examples/library/idempotency-keys.md", "utf8");

describe("parallel mode under the spend limits", () => {
  it("counts every request of the document: the limit stops the open requests and starts no other", async () => {
    h.fake.setScenario({ document: FIXTURE, chunkSize: 100, delayMs: 5 });
    const created = await h.create({ topic: "Idempotency Keys", fresh: true });
    const { id, mode } = (await created.json()) as { id: string; mode: string };
    expect(mode).toBe("parallel");
    await h.waitUntilFinished(id, 30_000);
    const document = (await (await h.get(id)).json()) as {
      status: string;
      error: string;
      tokensUsed: number;
      parts: { state: string; inputTokens: number; outputTokens: number }[];
    };
    expect(document.status).toBe("failed");
    expect(document.error).toMatch(/MAX_TOKENS_PER_DOCUMENT is 4,000/);
    // A request in flight finishes (its usage is only known at its end): the document may pass the limit by what was open.
    expect(document.tokensUsed).toBeGreaterThanOrEqual(4_000);
    // The fake reports 4 characters a token: replay its reports in the order requests ended.
    const reported = (request: (typeof h.fake.requests)[number]) =>
      Math.ceil((request.body?.messages ?? []).reduce((sum, message) => sum + messageText(message).length, 0) / 4) + Math.ceil(request.servedChars / 4);
    let total = 0;
    let limitReachedAt = Infinity;
    for (const request of h.fake.requests.filter((candidate) => candidate.outcome === "stop").sort((a, b) => a.endedAt! - b.endedAt!)) {
      total += reported(request);
      if (total >= 4_000) {
        limitReachedAt = request.endedAt!;
        break;
      }
    }
    expect(total).toBeLessThanOrEqual(document.tokensUsed);
    expect(limitReachedAt).toBeLessThan(Infinity);
    expect(h.fake.requests.filter((request) => request.startedAt > limitReachedAt)).toEqual([]);
    expect(document.parts.filter((part) => part.state === "complete").length).toBeGreaterThanOrEqual(2); // the head and a section
    expect(document.parts.some((part) => part.state === "cancelled")).toBe(true);
    expect(document.parts.some((part) => part.state === "queued" || part.state === "writing")).toBe(false);

    const again = await h.sectionRetry(id, 12);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "document_token_limit" } });
  });
});
