/**
 * Behaviour tests for lib/examples/library/idempotency-keys.md: section 5 is extracted from
 * the Markdown and run. The executor runs on a fake clock against an in-memory store with the
 * same contract as the document's Postgres `IdempotencyStore` (claim, load, fenced complete,
 * release); the PSP call runs over real HTTP on loopback. The store's SQL itself needs
 * Postgres, which this suite does not start.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importSection5 } from "@/tests/support/library-section5";
import { startLoopback } from "@/tests/support/loopback";

interface IdempotencyConfig {
  leaseMs: number;
  executionMarginMs: number;
  inProgressWaitMs: number;
  pollIntervalMs: number;
  statementTimeoutMs: number;
  maxResponseBytes: number;
}
type ClaimOutcome = "claimed" | "taken_over" | "replayed" | "in_progress" | "mismatch";
type ExecutionOutcome = "completed" | "released" | "lease_lost" | "timeout";
interface IdempotencyMetrics {
  claim(outcome: ClaimOutcome): void;
  execution(outcome: ExecutionOutcome, durationMs: number): void;
}
interface ExecutionContext {
  signal: AbortSignal;
  deadlineAt: number;
  downstreamKey(scope: string): string;
}
interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
interface HandlerResult {
  status: number;
  body: unknown;
  commit?: (tx: SqlClient) => Promise<void>;
}
interface KeyRow {
  request_hash: Buffer;
  state: "in_progress" | "completed";
  lease_remaining_ms: number;
  response_status: number | null;
  response_body: unknown;
}
interface Store {
  tryClaim(tenant: string, key: string, hash: Buffer, token: string): Promise<"claimed" | "taken_over" | null>;
  load(tenant: string, key: string): Promise<KeyRow | undefined>;
  complete(tenant: string, key: string, token: string, result: HandlerResult): Promise<void>;
  release(tenant: string, key: string, token: string): Promise<void>;
}
interface IdempotentRequest {
  tenantId: string;
  rawKey: string | undefined;
  method: string;
  path: string;
  body: unknown;
  clientSignal?: AbortSignal;
}
interface IdempotencyModule {
  IdempotencyExecutor: new (store: Store, cfg: IdempotencyConfig, metrics: IdempotencyMetrics) => {
    execute(req: IdempotentRequest, handler: (ctx: ExecutionContext) => Promise<HandlerResult>): Promise<{ status: number; body: unknown; replayed: boolean }>;
  };
  validateKey(raw: string | undefined): string;
  requestFingerprint(req: { method: string; path: string; body: unknown }): Buffer;
  IdempotencyError: new (...args: never[]) => Error & { httpStatus: number; code: string };
  InvalidKeyError: new (...args: never[]) => Error;
  KeyReusedError: new () => Error & { httpStatus: number };
  RequestInProgressError: new (retryAfterSeconds: number) => Error & { retryAfterSeconds: number };
  LeaseLostError: new () => Error;
  ExecutionTimeoutError: new (ms: number) => Error;
  UpstreamRetryableError: new (status: number) => Error & { upstreamStatus: number };
  chargeCard(
    ctx: ExecutionContext,
    pspUrl: string,
    body: { amountMinor: number; currency: string; paymentMethodId: string; orderId: string },
  ): Promise<{ id: string; status: "succeeded" | "declined"; decline_code?: string }>;
}

let ik: IdempotencyModule;
beforeAll(async () => {
  ik = await importSection5<IdempotencyModule>("idempotency-keys.md");
});
afterEach(() => {
  vi.useRealTimers();
});

// createChargeRoute's configuration.
const CFG: IdempotencyConfig = { leaseMs: 30_000, executionMarginMs: 5_000, inProgressWaitMs: 2_000, pollIntervalMs: 150, statementTimeoutMs: 2_000, maxResponseBytes: 64 * 1024 };

/**
 * The contract of the document's IdempotencyStore, in memory: one row per (tenant, key), a
 * lease on one clock, a fenced complete and a token-checked release, each atomic.
 */
class MemoryStore implements Store {
  readonly rows = new Map<string, { hash: Buffer; state: "in_progress" | "completed"; token: string | null; leaseUntil: number; status: number | null; body: unknown }>();
  readonly commits: string[] = [];
  constructor(private readonly leaseMs: number) {}
  async tryClaim(tenant: string, key: string, hash: Buffer, token: string) {
    const id = `${tenant}\0${key}`;
    const row = this.rows.get(id);
    if (!row) {
      this.rows.set(id, { hash, state: "in_progress", token, leaseUntil: performance.now() + this.leaseMs, status: null, body: null });
      return "claimed" as const;
    }
    if (row.state === "in_progress" && row.leaseUntil < performance.now() && row.hash.equals(hash)) {
      Object.assign(row, { token, leaseUntil: performance.now() + this.leaseMs });
      return "taken_over" as const;
    }
    return null;
  }
  async load(tenant: string, key: string): Promise<KeyRow | undefined> {
    const row = this.rows.get(`${tenant}\0${key}`);
    if (!row) return undefined;
    const remaining = row.state === "in_progress" ? Math.max(0, row.leaseUntil - performance.now()) : 0;
    return { request_hash: row.hash, state: row.state, lease_remaining_ms: Math.round(remaining), response_status: row.status, response_body: row.body };
  }
  async complete(tenant: string, key: string, token: string, result: HandlerResult) {
    const row = this.rows.get(`${tenant}\0${key}`);
    if (!row || row.state !== "in_progress" || row.token !== token) throw new ik.LeaseLostError();
    const tx: SqlClient = {
      query: async (text) => {
        this.commits.push(text.trim().split(/\s+/).slice(0, 3).join(" "));
        return { rows: [], rowCount: 1 };
      },
    };
    if (result.commit) await result.commit(tx);
    Object.assign(row, { state: "completed", token: null, status: result.status, body: JSON.parse(JSON.stringify(result.body ?? null)) });
  }
  async release(tenant: string, key: string, token: string) {
    const id = `${tenant}\0${key}`;
    const row = this.rows.get(id);
    if (row && row.state === "in_progress" && row.token === token) this.rows.delete(id);
  }
}

function setup(cfg: IdempotencyConfig = CFG) {
  const store = new MemoryStore(cfg.leaseMs);
  const claims: ClaimOutcome[] = [];
  const executions: ExecutionOutcome[] = [];
  const executor = new ik.IdempotencyExecutor(store, cfg, {
    claim: (o) => void claims.push(o),
    execution: (o) => void executions.push(o),
  });
  return { store, claims, executions, executor };
}
const KEY = "order-42-intent-7f3c9a";
const request = (extra: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  tenantId: "acct_7",
  rawKey: KEY,
  method: "POST",
  path: "/v1/payments",
  body: { amountMinor: 4999, currency: "EUR", orderId: "o-42" },
  ...extra,
});

describe("idempotency-keys.md: keys and fingerprints", () => {
  it("rejects a missing or malformed key with 400 before touching state", () => {
    for (const raw of [undefined, "", "short-key", "has spaces in it!!", "x".repeat(256)]) {
      expect(() => ik.validateKey(raw)).toThrow(ik.InvalidKeyError);
    }
    expect(ik.validateKey(KEY)).toBe(KEY);
  });

  it("fingerprints method, path and canonical JSON: key order does not matter, the amount does", () => {
    const a = ik.requestFingerprint({ method: "post", path: "/v1/payments", body: { b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } } });
    const b = ik.requestFingerprint({ method: "POST", path: "/v1/payments", body: { a: { x: [1, { p: 2, q: 1 }], y: 2 }, b: 1 } });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(ik.requestFingerprint({ method: "POST", path: "/v1/payments", body: { b: 2, a: { y: 2, x: [1, { q: 1, p: 2 }] } } }))).toBe(false);
    expect(a.equals(ik.requestFingerprint({ method: "POST", path: "/v1/refunds", body: { b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } } }))).toBe(false);
  });
});

describe("idempotency-keys.md: the executor (fake clock)", () => {
  it("executes once, commits the business write with the response, and replays it to a retry", async () => {
    const { store, claims, executor } = setup();
    const handler = vi.fn(async (): Promise<HandlerResult> => ({
      status: 201,
      body: { paymentId: "ch_1" },
      commit: async (tx) => void (await tx.query("INSERT INTO payments (psp_charge_id) VALUES ($1)", ["ch_1"])),
    }));
    await expect(executor.execute(request(), handler)).resolves.toEqual({ status: 201, body: { paymentId: "ch_1" }, replayed: false });
    await expect(executor.execute(request(), handler)).resolves.toEqual({ status: 201, body: { paymentId: "ch_1" }, replayed: true });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(store.commits).toEqual(["INSERT INTO payments"]);
    expect(claims).toEqual(["claimed", "replayed"]);
  });

  it("a duplicate during execution polls and returns the original's stored result", async () => {
    vi.useFakeTimers();
    const { claims, executor } = setup();
    let finish: (r: HandlerResult) => void = () => {};
    const original = executor.execute(request(), () => new Promise<HandlerResult>((resolve) => (finish = resolve)));
    const duplicateHandler = vi.fn();
    const duplicate = executor.execute(request(), duplicateHandler);
    await vi.advanceTimersByTimeAsync(1_000);
    finish({ status: 201, body: { paymentId: "ch_2" } });
    await vi.advanceTimersByTimeAsync(CFG.pollIntervalMs);
    await expect(original).resolves.toMatchObject({ replayed: false });
    await expect(duplicate).resolves.toEqual({ status: 201, body: { paymentId: "ch_2" }, replayed: true });
    expect(duplicateHandler).not.toHaveBeenCalled();
    expect(claims).toEqual(["claimed", "replayed"]);
  });

  it("a duplicate waits at most inProgressWaitMs, then gets 409 with Retry-After from the lease", async () => {
    vi.useFakeTimers();
    const { executor } = setup();
    executor.execute(request(), () => new Promise<HandlerResult>(() => {})).catch(() => undefined); // the PSP takes forever
    let outcome: unknown;
    const started = performance.now();
    let settledAfter = 0;
    executor
      .execute(request(), vi.fn())
      .catch((err: unknown) => {
        outcome = err;
        settledAfter = performance.now() - started;
      });
    await vi.advanceTimersByTimeAsync(CFG.inProgressWaitMs + CFG.pollIntervalMs);
    expect(outcome).toBeInstanceOf(ik.RequestInProgressError);
    expect(settledAfter).toBeGreaterThanOrEqual(CFG.inProgressWaitMs);
    expect(settledAfter).toBeLessThanOrEqual(CFG.inProgressWaitMs + CFG.pollIntervalMs);
    expect((outcome as { retryAfterSeconds: number }).retryAfterSeconds).toBe(28); // 30 s lease − 2 s waited
    expect((outcome as { httpStatus: number }).httpStatus).toBe(409);
  });

  it("a thrown error releases the key, so the retry executes again; a different body under the key is 422", async () => {
    const { executions, executor } = setup();
    await expect(executor.execute(request(), () => Promise.reject(new Error("PSP 503")))).rejects.toThrow("PSP 503");
    await expect(executor.execute(request(), async () => ({ status: 201, body: { ok: true } }))).resolves.toMatchObject({ replayed: false });
    expect(executions).toEqual(["released", "completed"]);
    const reused = await executor.execute(request({ body: { amountMinor: 1, currency: "EUR", orderId: "o-42" } }), vi.fn()).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ik.KeyReusedError);
    expect((reused as { httpStatus: number }).httpStatus).toBe(422);
  });

  it("the handler's signal fires at lease − margin (25 s) and the key is released", async () => {
    vi.useFakeTimers();
    const { store, executions, executor } = setup();
    let signal: AbortSignal | undefined;
    let outcome: unknown;
    executor
      .execute(request(), (ctx) => {
        signal = ctx.signal;
        return new Promise<HandlerResult>((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
      })
      .catch((err: unknown) => (outcome = err));
    await vi.advanceTimersByTimeAsync(CFG.leaseMs - CFG.executionMarginMs - 1);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(ik.ExecutionTimeoutError);
    expect(executions).toEqual(["timeout"]);
    expect(store.rows.size).toBe(0);
  });

  it("after the owner's lease expires a retry takes over with the same downstream key, and the zombie's commit is fenced off", async () => {
    vi.useFakeTimers();
    const { claims, executions, executor } = setup({ ...CFG, executionMarginMs: -60_000 }); // a zombie outliving its lease
    const downstreamKeys: string[] = [];
    let finishZombie: (r: HandlerResult) => void = () => {};
    const zombie = executor
      .execute(request(), (ctx) => {
        downstreamKeys.push(ctx.downstreamKey("psp-charge"));
        return new Promise<HandlerResult>((resolve) => (finishZombie = resolve));
      })
      .catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(CFG.leaseMs + 1);
    const takeover = await executor.execute(request(), async (ctx) => {
      downstreamKeys.push(ctx.downstreamKey("psp-charge"));
      return { status: 201, body: { paymentId: "ch_same" } };
    });
    expect(takeover).toMatchObject({ status: 201, replayed: false });
    finishZombie({ status: 201, body: { paymentId: "ch_same" } });
    expect(await zombie).toBeInstanceOf(ik.LeaseLostError);
    expect(claims).toEqual(["claimed", "taken_over"]);
    expect(executions).toEqual(["completed", "lease_lost"]);
    const digest = createHash("sha256").update(`acct_7\0${KEY}`).digest("hex").slice(0, 40);
    expect(downstreamKeys).toEqual([`${digest}:psp-charge`, `${digest}:psp-charge`]);
  });
});

describe("idempotency-keys.md: chargeCard over loopback", () => {
  const body = { amountMinor: 4999, currency: "EUR", paymentMethodId: "pm_1", orderId: "o-42" };
  const chargeHandler = (pspUrl: string) => async (ctx: ExecutionContext): Promise<HandlerResult> => {
    const charge = await ik.chargeCard(ctx, pspUrl, body);
    return { status: charge.status === "succeeded" ? 201 : 402, body: { paymentId: charge.id, status: charge.status } };
  };

  it("sends the derived key, turns PSP 409/429/5xx into a retryable error that releases the key, and replays success", async () => {
    const seen: { key: string | undefined; body: unknown }[] = [];
    const statuses = [503, 409, 429, 200];
    const psp = await startLoopback(async (req, res) => {
      let raw = "";
      for await (const chunk of req) raw += String(chunk);
      seen.push({ key: req.headers["idempotency-key"] as string | undefined, body: JSON.parse(raw) });
      const status = statuses[seen.length - 1] ?? 200;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ id: "ch_9", status: "succeeded", error: "x".repeat(100) }));
    });
    try {
      const { executor } = setup();
      for (const upstream of [503, 409, 429]) {
        const err = await executor.execute(request(), chargeHandler(psp.origin)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ik.UpstreamRetryableError);
        expect((err as { upstreamStatus: number }).upstreamStatus).toBe(upstream);
      }
      await expect(executor.execute(request(), chargeHandler(psp.origin))).resolves.toEqual({
        status: 201,
        body: { paymentId: "ch_9", status: "succeeded" },
        replayed: false,
      });
      await expect(executor.execute(request(), chargeHandler(psp.origin))).resolves.toMatchObject({ replayed: true });
      expect(seen).toHaveLength(4); // the replay never reached the PSP
      expect(new Set(seen.map((s) => s.key)).size).toBe(1); // every attempt carried the same downstream key
      expect(seen[0]!.key).toMatch(/^[0-9a-f]{40}:psp-charge$/);
      expect(seen[0]!.body).toEqual({ amount: 4999, currency: "EUR", payment_method: "pm_1" });
    } finally {
      await psp.close();
    }
  });

  it("does not call the PSP with less than 250 ms of useful budget left", async () => {
    const psp = await startLoopback((_req, res) => void res.end("{}"));
    let calls = 0;
    psp.server.on("request", () => calls++);
    try {
      const ctx: ExecutionContext = { signal: new AbortController().signal, deadlineAt: performance.now() + 700, downstreamKey: (s) => `k:${s}` };
      const err = await ik.chargeCard(ctx, psp.origin, body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ik.UpstreamRetryableError);
      expect((err as { upstreamStatus: number }).upstreamStatus).toBe(504);
      expect(calls).toBe(0);
    } finally {
      await psp.close();
    }
  });
});
