/**
 * Behaviour tests for lib/examples/library/retries-with-backoff-and-jitter.md: section 5 is
 * extracted from the Markdown and run (the loop and budget on a fake clock; classification of
 * real undici errors and the HTTP helper over loopback). Each test asserts a document claim.
 */
import { getEventListeners } from "node:events";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importSection5 } from "@/tests/support/library-section5";
import { startLoopback, type Loopback } from "@/tests/support/loopback";

interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number;
  deadlineMs: number;
}
type GiveUpReason = "attempts" | "deadline" | "budget" | "fatal";
interface RetryMetrics {
  attempt(op: string, attempt: number, outcome: "ok" | "error" | "timeout", ms: number): void;
  retryScheduled(op: string, attempt: number, delayMs: number, reason: string): void;
  gaveUp(op: string, reason: GiveUpReason): void;
}
interface RetryBudget {
  recordRequest(): void;
  tryWithdraw(): boolean;
}
interface RetryOptions {
  op: string;
  policy: RetryPolicy;
  budget: RetryBudget;
  metrics: RetryMetrics;
  idempotent: boolean;
  signal?: AbortSignal;
}
interface RetriesModule {
  RetryBudget: new (ratio?: number, minPerSec?: number, maxTokens?: number) => RetryBudget;
  HttpStatusError: new (status: number, retryAfterMs: number | undefined, message: string) => Error;
  AttemptTimeoutError: new (message?: string) => Error;
  RetryGaveUpError: new (...args: never[]) => Error & { reason: GiveUpReason; attempts: number; cause: unknown };
  backoffDelay(policy: RetryPolicy, retryNumber: number, random?: () => number): number;
  classify(err: unknown, idempotent: boolean): { retry: boolean; reason: string; minDelayMs?: number };
  retry<T>(fn: (signal: AbortSignal, attempt: number, remainingMs: number) => Promise<T>, opts: RetryOptions): Promise<T>;
  fetchJsonWithRetry<T>(
    req: { method: "GET" | "POST" | "PUT" | "DELETE"; url: string; body?: unknown; idempotencyKey?: string },
    opts: Omit<RetryOptions, "idempotent">,
  ): Promise<T>;
}

let rt: RetriesModule;
beforeAll(async () => {
  rt = await importSection5<RetriesModule>("retries-with-backoff-and-jitter.md");
});
afterEach(() => {
  vi.useRealTimers();
});

// Section 5: "Typical settings for an internal call with a 35 ms p99".
const INTERNAL: RetryPolicy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1000, attemptTimeoutMs: 150, deadlineMs: 800 };
function recordingMetrics() {
  const gaveUp: GiveUpReason[] = [];
  const scheduled: { delayMs: number; reason: string }[] = [];
  const attempts: string[] = [];
  const metrics: RetryMetrics = {
    attempt: (_op, _n, outcome) => void attempts.push(outcome),
    retryScheduled: (_op, _n, delayMs, reason) => void scheduled.push({ delayMs, reason }),
    gaveUp: (_op, reason) => void gaveUp.push(reason),
  };
  return { gaveUp, scheduled, attempts, metrics };
}
const options = (extra: Partial<RetryOptions> = {}): RetryOptions => ({
  op: "catalog.get",
  policy: INTERNAL,
  budget: new rt.RetryBudget(0.1, 5, 50),
  metrics: recordingMetrics().metrics,
  idempotent: true,
  ...extra,
});
const reset = (): Error => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });

describe("retries-with-backoff-and-jitter.md: backoff and budget", () => {
  it("full jitter is uniform in [0, min(cap, base × 2^(n−1)))", () => {
    const policy = { ...INTERNAL, baseDelayMs: 100, maxDelayMs: 2_000 };
    expect([1, 2, 3, 5, 6].map((n) => rt.backoffDelay(policy, n, () => 0.999999))).toEqual([99, 199, 399, 1599, 1999]);
    expect(rt.backoffDelay(policy, 4, () => 0)).toBe(0);
  });

  // Section 3: "During a full outage ... the process sends at most about 1.1x its normal traffic instead of attempts x."
  it("during a total outage the budget holds attempts to about 1.1 per request, not 3", async () => {
    vi.useFakeTimers();
    const budget = new rt.RetryBudget(0.1, 5, 50);
    let attempts = 0;
    let requests = 0;
    const running: Promise<unknown>[] = [];
    for (let ms = 0; ms < 10_000; ms++) {
      requests++; // 1,000 requests per second, every attempt fails fast
      running.push(
        rt
          .retry(
            () => {
              attempts++;
              return Promise.reject(reset());
            },
            options({ budget }),
          )
          .catch(() => undefined),
      );
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(INTERNAL.deadlineMs);
    await Promise.all(running);
    const floor = 5 * 10 + 50; // minPerSec × seconds + a full bucket at the start
    expect(attempts).toBeLessThanOrEqual(requests * 1.1 + floor);
    expect(attempts).toBeGreaterThan(requests * 1.05); // the budget does allow ~10% retries
  });
});

describe("retries-with-backoff-and-jitter.md: the retry loop (fake clock)", () => {
  it("never sleeps into the deadline: hung attempts end at attemptTimeoutMs and the loop gives up before deadlineMs", async () => {
    vi.useFakeTimers();
    const { gaveUp, attempts, metrics } = recordingMetrics();
    let settledAt = -1;
    const started = performance.now();
    const hung = (signal: AbortSignal): Promise<never> =>
      new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    const op = rt.retry(hung, options({ metrics, policy: { ...INTERNAL, maxAttempts: 10 } })).catch((err: unknown) => {
      settledAt = performance.now() - started;
      return err;
    });
    await vi.advanceTimersByTimeAsync(INTERNAL.deadlineMs);
    const err = await op;
    expect(err).toBeInstanceOf(rt.RetryGaveUpError);
    expect((err as { reason: string }).reason).toBe("deadline");
    expect(settledAt).toBeGreaterThan(0);
    expect(settledAt).toBeLessThanOrEqual(INTERNAL.deadlineMs);
    expect(attempts.every((a) => a === "timeout")).toBe(true);
    expect(gaveUp).toEqual(["deadline"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("honours Retry-After as a floor on the delay", async () => {
    vi.useFakeTimers();
    const { scheduled, metrics } = recordingMetrics();
    let calls = 0;
    const op = rt.retry(
      async () => {
        if (++calls === 1) throw new rt.HttpStatusError(429, 1_000, "slow down");
        return "ok";
      },
      options({ metrics, policy: { ...INTERNAL, deadlineMs: 6_000 } }),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(op).resolves.toBe("ok");
    expect(scheduled).toEqual([{ delayMs: 1_000, reason: "429" }]);
  });

  it("a caller abort during the backoff sleep ends the loop at once and leaves no timers or listeners", async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const op = rt
      .retry(() => Promise.reject(reset()), options({ signal: caller.signal, policy: { ...INTERNAL, baseDelayMs: 500, deadlineMs: 5_000 } }))
      .catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(1); // first attempt failed, now sleeping
    caller.abort(new Error("client disconnected"));
    await expect(op).resolves.toMatchObject({ message: "client disconnected" });
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("does not retry a 400 or a 500, and gives up with the cause attached", async () => {
    for (const status of [400, 500]) {
      let calls = 0;
      const err = await rt
        .retry(() => {
          calls++;
          return Promise.reject(new rt.HttpStatusError(status, undefined, `HTTP ${status}`));
        }, options())
        .catch((e: unknown) => e);
      expect(calls).toBe(1);
      expect(err).toMatchObject({ reason: "fatal", attempts: 1 });
      expect((err as { cause: unknown }).cause).toBeInstanceOf(rt.HttpStatusError);
    }
  });
});

describe("retries-with-backoff-and-jitter.md: real undici errors and the HTTP helper on loopback", () => {
  let server: Loopback;
  let behaviour: "rst" | "fin" | "flaky-503" | "ok" = "ok";
  let seen: { attempt: string | undefined; key: string | undefined; socket: number }[] = [];
  let calls = 0;
  beforeAll(async () => {
    server = await startLoopback((req, res) => {
      calls++;
      seen.push({
        attempt: req.headers["x-attempt"] as string | undefined,
        key: req.headers["idempotency-key"] as string | undefined,
        socket: server.sockets.findIndex((entry) => entry.socket === req.socket),
      });
      // The request was received, then the connection drops: with a TCP reset, or a plain close.
      if (behaviour === "rst") return void req.socket.resetAndDestroy();
      if (behaviour === "fin") return void req.socket.destroy();
      // A 503 with a body too large to sit in the socket buffers unread.
      if (behaviour === "flaky-503" && calls === 1) return void res.writeHead(503, { "content-type": "text/plain" }).end("x".repeat(1_000_000));
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    return () => server.close();
  });
  const httpOptions = () => ({ op: "http", policy: { ...INTERNAL, deadlineMs: 2_000 }, budget: new rt.RetryBudget(0.1, 5, 50), metrics: recordingMetrics().metrics });

  it("ECONNREFUSED (never sent) is retried even for a POST without a key", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { scheduled, metrics } = recordingMetrics();
    const err = await rt
      .fetchJsonWithRetry({ method: "POST", url: `http://127.0.0.1:${port}/charges`, body: { amount: 1 } }, { ...httpOptions(), metrics })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "attempts", attempts: 3 });
    expect(scheduled.map((s) => s.reason)).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
  });

  it.each([
    ["rst", "ECONNRESET"],
    ["fin", "UND_ERR_SOCKET"],
  ] as const)("a dropped connection after the request was sent (%s: %s) is retried for GET, not for a POST without a key", async (drop, code) => {
    behaviour = drop;
    calls = 0;
    const post = await rt.fetchJsonWithRetry({ method: "POST", url: `${server.origin}/charges`, body: { amount: 1 } }, httpOptions()).catch((e: unknown) => e);
    expect(post).toMatchObject({ reason: "fatal", attempts: 1 });
    expect(calls).toBe(1); // ambiguous: it may have been processed, so no second charge
    calls = 0;
    const { scheduled, metrics } = recordingMetrics();
    const get = await rt.fetchJsonWithRetry({ method: "GET", url: `${server.origin}/products/1` }, { ...httpOptions(), metrics }).catch((e: unknown) => e);
    expect(get).toMatchObject({ reason: "attempts", attempts: 3 });
    expect(calls).toBe(3);
    expect(scheduled.map((s) => s.reason)).toEqual([code, code]);
  });

  it("a POST with an idempotency key is retried with the same key, and a large error body is read so the socket is reused", async () => {
    behaviour = "flaky-503";
    calls = 0;
    seen = [];
    await expect(
      rt.fetchJsonWithRetry({ method: "POST", url: `${server.origin}/captures`, body: { amount: 1 }, idempotencyKey: "7f3c-order-42" }, httpOptions()),
    ).resolves.toEqual({ ok: true });
    expect(seen.map((s) => [s.attempt, s.key])).toEqual([
      ["1", "7f3c-order-42"],
      ["2", "7f3c-order-42"],
    ]);
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });
});
