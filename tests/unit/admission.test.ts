import { describe, expect, it } from "vitest";
import { InProcessAdmissionLedger } from "@/lib/documents/admission-ledger";
import { CONCURRENCY_RETRY_AFTER_SECONDS, GenerationAdmission, generationKey, RATE_LIMIT_WINDOW_MS } from "@/lib/documents/admission";
import type { DocumentError } from "@/lib/documents/document-error";
import type { DesignDocument } from "@/lib/documents/types";
import { rejectionOf } from "../support/thrown";

function admission(options: { active?: number; created?: string[]; today?: number; maxTokensPerDocument?: number; dailyTokenBudget?: number } = {}) {
  const created = options.created ?? [];
  return new GenerationAdmission({
    config: { maxConcurrentGenerations: 2, rateLimitPerHour: 3, maxTokensPerDocument: options.maxTokensPerDocument, dailyTokenBudget: options.dailyTokenBudget },
    activeGenerations: () => options.active ?? 0,
    tokensUsedOn: async () => options.today ?? 0,
    countStartsSince: async (_client, since) => {
      const inWindow = created.filter((at) => at > since).sort();
      return { count: inWindow.length, oldest: inWindow[0] ?? null };
    },
    recordStart: async () => {
      created.push(new Date().toISOString());
    },
  });
}

const document = (id: string) => ({ id }) as DesignDocument;

describe("GenerationAdmission", () => {
  it("refuses at the concurrency cap with the named Retry-After", async () => {
    await expect(admission({ active: 1 }).admit("ip:a")).resolves.toBeUndefined();
    await expect(admission({ active: 2 }).admit("ip:a")).rejects.toMatchObject({ code: "too_many_generations", retryAfterSeconds: CONCURRENCY_RETRY_AFTER_SECONDS });
  });

  it("refuses a client at its hourly allowance until its oldest creation leaves the window", async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms).toISOString();
    const created = [ago(RATE_LIMIT_WINDOW_MS - 600_000), ago(1_000), ago(2_000)];
    const refusal = admission({ created }).admit("ip:a");
    await expect(refusal).rejects.toMatchObject({ code: "rate_limited" });
    const error = (await refusal.then(
      () => null,
      (refused: unknown) => refused,
    )) as DocumentError;
    const seconds = error.retryAfterSeconds ?? 0;
    expect(seconds).toBeGreaterThanOrEqual(599);
    expect(seconds).toBeLessThanOrEqual(601);
    await expect(admission({ created: created.slice(1) }).admit("ip:a")).resolves.toBeUndefined();
    // Creations older than the window do not count.
    await expect(admission({ created: [ago(RATE_LIMIT_WINDOW_MS + 1_000), ...created.slice(1)] }).admit("ip:a")).resolves.toBeUndefined();
  });

  it("shares one creation among identical requests that arrive together, and forgets it once done", async () => {
    const gate = admission();
    let creations = 0;
    const finishers: (() => void)[] = [];
    const finish = () => finishers.splice(0).forEach((resolve) => resolve());
    const create = () => {
      creations += 1;
      return new Promise<{ document: DesignDocument }>((resolve) => finishers.push(() => resolve({ document: document("one") })));
    };
    const first = await gate.shareCreation("ip:a", "key", create);
    const second = await gate.shareCreation("ip:a", "key", create);
    const stranger = await gate.shareCreation("ip:b", "key", create);
    expect(first.shared).toBe(false);
    expect(second.shared).toBe(true);
    expect(stranger.shared).toBe(false);
    finish();
    if (second.shared) expect((await second.document).id).toBe("one");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await gate.shareCreation("ip:a", "key", create)).shared).toBe(false);
    expect(creations).toBe(3);
  });

  it("attaches identical requests from the same scope to a running generation until it is done", async () => {
    const gate = admission();
    let done!: () => void;
    const running = { id: "doc-1", ownerScope: "ip:a", topicKey: "t", model: "m", promptStyle: "contract" as const, promptVersion: "p", mode: "single" as const };
    const key = generationKey(running);
    await gate.trackRunning(running, new Promise<void>((resolve) => (done = resolve)));
    expect(await gate.runningDocumentId("ip:a", key)).toBe("doc-1");
    expect(await gate.runningDocumentId("ip:b", key)).toBeUndefined();
    expect(await gate.runningDocumentId("ip:a", "other")).toBeUndefined();
    done();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await gate.runningDocumentId("ip:a", key)).toBeUndefined();
  });

  it("keeps the generation modes apart: the same topic in single and parallel mode are different generations", async () => {
    const single = { topicKey: "t", model: "m", promptStyle: "contract" as const, promptVersion: "p", mode: "single" as const };
    expect(generationKey(single)).not.toBe(generationKey({ ...single, mode: "parallel" }));
    const gate = admission();
    await gate.trackRunning({ ...single, id: "doc-3", ownerScope: "ip:a" }, new Promise<void>(() => {}));
    expect(await gate.runningDocumentId("ip:a", generationKey(single))).toBe("doc-3");
    expect(await gate.runningDocumentId("ip:a", generationKey({ ...single, mode: "parallel" }))).toBeUndefined();
  });

  it("keeps fields apart in the key: a topic ending where the model begins is another generation", () => {
    const fields = { promptStyle: "contract" as const, promptVersion: "p", mode: "single" as const };
    expect(generationKey({ ...fields, topicKey: "ab", model: "c" })).not.toBe(generationKey({ ...fields, topicKey: "a", model: "bc" }));
  });

  it("tracks a running generation without an end to wait for (a ledger shared by instances forgets by checking)", async () => {
    const ledger = new InProcessAdmissionLedger();
    await expect(ledger.trackRunning("key", "doc-4")).resolves.toBeUndefined();
    expect(await ledger.runningDocumentId("key")).toBe("doc-4");
  });

  it("counts no starts for a requester without a client key, and reads no day's usage without a daily budget", async () => {
    const asked: string[] = [];
    const gate = new GenerationAdmission({
      config: { maxConcurrentGenerations: 2, rateLimitPerHour: 1, maxTokensPerDocument: undefined, dailyTokenBudget: undefined },
      activeGenerations: () => 0,
      tokensUsedOn: async () => (asked.push("tokensUsedOn"), 0),
      countStartsSince: async () => (asked.push("countStartsSince"), { count: 5, oldest: new Date().toISOString() }),
      recordStart: async () => void asked.push("recordStart"),
    });
    await expect(gate.admit(null)).resolves.toBeUndefined();
    await gate.recordStart(null, "create", "doc-5");
    expect(asked).toEqual([]);
    await expect(gate.admit("ip:a")).rejects.toMatchObject({ code: "rate_limited" });
    expect(asked).toEqual(["countStartsSince"]);
  });

  it("asks a client at its limit with no dated start to wait the whole window", async () => {
    const gate = new GenerationAdmission({
      config: { maxConcurrentGenerations: 2, rateLimitPerHour: 1, maxTokensPerDocument: undefined, dailyTokenBudget: undefined },
      activeGenerations: () => 0,
      tokensUsedOn: async () => 0,
      countStartsSince: async () => ({ count: 1, oldest: null }),
      recordStart: async () => {},
    });
    const error = await rejectionOf<DocumentError>(() => gate.admit("ip:a"));
    expect(error).toMatchObject({ code: "rate_limited", retryAfterSeconds: RATE_LIMIT_WINDOW_MS / 1000 });
    expect(error.message).toBe(
      "You have started 1 generations (new documents and repairs) in the last hour, the limit (RATE_LIMIT_PER_HOUR). Try again in 60 minutes.",
    );
  });

  it("never shares a document that has no scope", async () => {
    const gate = admission();
    const running = { id: "doc-2", ownerScope: null, topicKey: "t", model: "m", promptStyle: "contract" as const, promptVersion: "p", mode: "single" as const };
    await gate.trackRunning(running, new Promise<void>(() => {}));
    expect(await gate.runningDocumentId("null", generationKey(running))).toBeUndefined();
  });

  it("refuses once the day's token budget or the document's token limit is reached", async () => {
    await expect(admission({ dailyTokenBudget: 100, today: 99 }).admit("ip:a")).resolves.toBeUndefined();
    const exhausted = admission({ dailyTokenBudget: 100, today: 100 }).admit("ip:a");
    await expect(exhausted).rejects.toMatchObject({ code: "token_budget_exhausted", message: expect.stringMatching(/DAILY_TOKEN_BUDGET/) });
    const retryAfter = ((await exhausted.catch((error: unknown) => error)) as DocumentError).retryAfterSeconds ?? 0;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    await expect(admission({ maxTokensPerDocument: 50 }).admit("ip:a", 49)).resolves.toBeUndefined();
    await expect(admission({ maxTokensPerDocument: 50 }).admit("ip:a", 50)).rejects.toMatchObject({ code: "document_token_limit" });
  });
});
