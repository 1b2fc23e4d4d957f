import { describe, expect, it } from "vitest";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { useStudioHarness } from "../support/studio-harness";

// The fake model reports usage like OpenAI does: about one token per 4 characters, prompt included.
const h = useStudioHarness({ MAX_CONTINUATIONS: "4" });

type Created = { id: string; editToken: string };
async function createOk(topic: string): Promise<Created> {
  const response = await h.create({ topic, fresh: true });
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}


async function tokensUsedToday(): Promise<number> {
  const [row] = await h.database.query<{ tokens: number | string }>(`select tokens from token_usage where day = '${new Date().toISOString().slice(0, 10)}'`);
  return Number(row?.tokens ?? 0);
}

describe("MAX_TOKENS_PER_DOCUMENT", () => {
  it("records each request's usage and stops requesting once the document reached its limit, keeping the text", async () => {
    // Every request ends at the output-token limit, so without a spend limit the job would continue 4 times.
    h.fake.setScenario({ lengthAtChar: 400, faultOnce: false, delayMs: 0, chunkSize: 100 });
    h.studio.config.maxTokensPerDocument = 1;
    try {
      const { id, editToken } = await createOk("Spend Per Document");
      const finished = await h.waitUntilFinished(id);
      expect(h.fake.requests).toHaveLength(1);
      expect(finished.status).toBe("failed");
      expect(finished.error).toMatch(/MAX_TOKENS_PER_DOCUMENT/);
      expect(finished.markdown).toBe(DEFAULT_DOCUMENT.slice(0, 400));
      const tokensUsed = ((await (await h.get(id)).json()) as { tokensUsed: number }).tokensUsed;
      expect(tokensUsed).toBeGreaterThan(100); // 400 characters of output plus the prompt

      // Continue and Retry would spend more on this document: refused before any request.
      for (const action of ["continue", "retry"] as const) {
        const refused = await h.action(id, action, { "x-edit-token": editToken });
        expect(refused.status).toBe(409);
        const body = (await refused.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe("document_token_limit");
        expect(body.error.message).toMatch(/MAX_TOKENS_PER_DOCUMENT/);
      }
      expect(h.fake.requests).toHaveLength(1);
    } finally {
      h.studio.config.maxTokensPerDocument = undefined;
    }
  });

  it("lets a document under its limit continue after the output-token limit", async () => {
    h.fake.setScenario({ lengthAtChar: 400, delayMs: 0, chunkSize: 100 });
    h.studio.config.maxTokensPerDocument = 1_000_000;
    try {
      const { id } = await createOk("Spend Under Limit");
      const finished = await h.waitUntilFinished(id);
      expect(finished.status).toBe("complete");
      expect(h.fake.requests).toHaveLength(2);
    } finally {
      h.studio.config.maxTokensPerDocument = undefined;
    }
  });
});

describe("DAILY_TOKEN_BUDGET", () => {
  it("refuses new generations with 429 once the day's budget is spent, and stops a running one between requests", async () => {
    h.fake.setScenario({ lengthAtChar: 400, faultOnce: false, delayMs: 0, chunkSize: 100 });
    const before = await tokensUsedToday();
    h.studio.config.dailyTokenBudget = before + 1;
    try {
      const { id } = await createOk("Spend Daily");
      const finished = await h.waitUntilFinished(id);
      expect(finished.status).toBe("failed");
      expect(finished.error).toMatch(/DAILY_TOKEN_BUDGET/);
      expect(h.fake.requests).toHaveLength(1);
      expect(await tokensUsedToday()).toBeGreaterThan(before + 100);

      const refused = await h.create({ topic: "Spend Daily Again", fresh: true });
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("token_budget_exhausted");
      expect(body.error.message).toMatch(/DAILY_TOKEN_BUDGET/);
      expect(h.fake.requests).toHaveLength(1);
    } finally {
      h.studio.config.dailyTokenBudget = undefined;
    }
    expect((await h.create({ topic: "Spend Daily Unlimited", fresh: true })).status).toBe(201);
  });
});
