import { describe, expect, it } from "vitest";
import { CONCURRENCY_RETRY_AFTER_SECONDS, GenerationAdmission, RATE_LIMIT_WINDOW_MS } from "@/lib/documents/admission";
import type { DocumentError } from "@/lib/documents/document-error";
import type { DesignDocument } from "@/lib/documents/types";

function admission(options: { active?: number; created?: string[] } = {}) {
  const created = options.created ?? [];
  return new GenerationAdmission({
    config: { maxConcurrentGenerations: 2, rateLimitPerHour: 3 },
    activeGenerations: () => options.active ?? 0,
    countCreatedSince: async (_client, since) => {
      const inWindow = created.filter((at) => at > since).sort();
      return { count: inWindow.length, oldest: inWindow[0] ?? null };
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
    let finish!: () => void;
    const create = () => {
      creations += 1;
      return new Promise<{ document: DesignDocument }>((resolve) => (finish = () => resolve({ document: document("one") })));
    };
    const first = await gate.shareCreation("key", create);
    const second = await gate.shareCreation("key", create);
    expect(first.shared).toBe(false);
    expect(second.shared).toBe(true);
    finish();
    if (second.shared) expect((await second.document).id).toBe("one");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await gate.shareCreation("key", create)).shared).toBe(false);
    expect(creations).toBe(2);
  });

  it("attaches identical requests to a running generation until it is done", async () => {
    const gate = admission();
    let done!: () => void;
    await gate.trackRunning("key", "doc-1", new Promise<void>((resolve) => (done = resolve)));
    expect(await gate.runningDocumentId("key")).toBe("doc-1");
    expect(await gate.runningDocumentId("other")).toBeUndefined();
    done();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await gate.runningDocumentId("key")).toBeUndefined();
  });
});
