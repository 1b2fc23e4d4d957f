/**
 * Behaviour tests for lib/examples/library/rate-limiting.md: section 5 is extracted from
 * the Markdown and run against a real Redis (see tests/support/redis.ts) and real HTTP on
 * loopback; each test asserts a claim the document makes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importSection5 } from "@/tests/support/library-section5";
import { startLoopback } from "@/tests/support/loopback";
import { connectTestRedis, type TestRedis } from "@/tests/support/redis";
import { startTcpProxy } from "@/tests/support/tcp-proxy";

interface RateLimitPolicy {
  name: string;
  ratePerSec: number;
  burst: number;
  localShare: number;
  onBackendDown: "local" | "reject";
  enforce: boolean;
}
type DecisionSource = "redis" | "local" | "none";
interface Decision {
  allowed: boolean;
  limit: number;
  remaining: number;
  retryAfterMs: number;
  source: DecisionSource;
}
interface LimiterMetrics {
  decision(policy: string, allowed: boolean, source: DecisionSource, enforced: boolean): void;
  redisCall(policy: string, ms: number, outcome: "ok" | "timeout" | "error" | "skipped"): void;
  backend(state: "down" | "restored", cause?: unknown): void;
}
type PolicyOverride = Partial<Pick<RateLimitPolicy, "ratePerSec" | "burst" | "enforce">> & { exempt?: boolean };
interface LimiterOptions {
  keyPrefix: string;
  redisTimeoutMs: number;
  breakerOpenMs: number;
  localMaxKeys: number;
  metrics: LimiterMetrics;
  overrides?: (policy: RateLimitPolicy, subject: string) => PolicyOverride | undefined;
}
interface Limiter {
  check(policy: RateLimitPolicy, subject: string, cost?: number, signal?: AbortSignal): Promise<Decision>;
}
type Handler = (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void>;
interface RateLimitingModule {
  DistributedRateLimiter: new (redis: Redis, opts: LimiterOptions) => Limiter;
  withRateLimit(
    limiter: Limiter,
    resolveTarget: (req: IncomingMessage) => { policy: RateLimitPolicy; subject: string; cost: number } | null,
    handler: Handler,
  ): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  TENANT_API: RateLimitPolicy;
  SMS_PROVIDER: RateLimitPolicy;
  LimiterUnavailableError: new (...args: never[]) => Error;
}

const availability = await connectTestRedis();
const describeRedis = availability.ok ? describe : describe.skip;
if (!availability.ok) console.warn(`rate-limiting.md behaviour tests skipped: ${availability.reason}`);

let rl: RateLimitingModule;
let testRedis: TestRedis;
let redis: Redis;
beforeAll(async () => {
  rl = await importSection5<RateLimitingModule>("rate-limiting.md");
  if (availability.ok) {
    testRedis = availability.redis;
    // The document's wiring: a 1 s commandTimeout backstop, one retry, no offline queue.
    redis = await testRedis.connected({ commandTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  }
});
afterAll(async () => {
  if (availability.ok) await testRedis.cleanup();
});
afterEach(() => {
  vi.useRealTimers();
});

function recordingMetrics() {
  const decisions: { policy: string; allowed: boolean; source: DecisionSource; enforced: boolean }[] = [];
  const redisCalls: string[] = [];
  const backend: string[] = [];
  const metrics: LimiterMetrics = {
    decision: (policy, allowed, source, enforced) => void decisions.push({ policy, allowed, source, enforced }),
    redisCall: (_policy, _ms, outcome) => void redisCalls.push(outcome),
    backend: (state) => void backend.push(state),
  };
  return { decisions, redisCalls, backend, metrics };
}

let limiterCount = 0;
function limiter(client: Redis, options: Partial<LimiterOptions> = {}): Limiter {
  return new rl.DistributedRateLimiter(client, {
    keyPrefix: `rl:v1:case${++limiterCount}`, // a fresh bucket per test
    redisTimeoutMs: 25,
    breakerOpenMs: 2_000,
    localMaxKeys: 50_000,
    metrics: recordingMetrics().metrics,
    ...options,
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `workers` concurrent callers ask for `cost` tokens in a loop for `durationMs`, waiting
 * `retryAfterMs` after a rejection (at least 1 ms). Returns each admission's send and
 * receive time (the script ran on Redis in between).
 */
async function hammer(l: Limiter, policy: RateLimitPolicy, cost: number, workers: number, durationMs: number) {
  const admitted: { sent: number; received: number; decision: Decision }[] = [];
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() - started < durationMs) {
        const sent = performance.now();
        const decision = await l.check(policy, "acct-1", cost).catch((err: unknown) => {
          if (err instanceof rl.LimiterUnavailableError) return undefined; // fail-closed: not admitted
          throw err;
        });
        if (decision?.allowed) admitted.push({ sent, received: performance.now(), decision });
        else {
          refused += 1;
          await sleep(Math.max(1, decision?.retryAfterMs ?? 5));
        }
      }
    }),
  );
  return { admitted, refused, elapsedMs: performance.now() - started };
}

/**
 * The most admissions (weighted by cost) that certainly happened inside one window of
 * `windowMs`: an admission counts only if it was both sent and answered inside the window,
 * so client-side delays can only lower the count, never raise it.
 */
function maxInAnyWindow(admitted: { sent: number; received: number }[], windowMs: number, cost = 1): number {
  let max = 0;
  for (const start of admitted.map((a) => a.sent)) {
    const inside = admitted.filter((a) => a.sent >= start && a.received < start + windowMs).length;
    max = Math.max(max, inside * cost);
  }
  return max;
}

describeRedis("rate-limiting.md: the token bucket on a real Redis", () => {
  // Section 6: "rate 90 per second, burst 5: any 1-second window admits at most 5 + 90 × 1 = 95,
  // 5% below the provider's 100", whatever the number of workers.
  it("the SMS policy admits at most 95 sends in any 1 s window with 40 workers competing", async () => {
    const l = limiter(redis, { redisTimeoutMs: 250 }); // this test is about the bucket, not the budget on a busy machine
    const { admitted, refused, elapsedMs } = await hammer(l, rl.SMS_PROVIDER, 1, 40, 2_200);
    const stated = rl.SMS_PROVIDER.burst + rl.SMS_PROVIDER.ratePerSec * 1;
    expect(stated).toBeLessThanOrEqual(95);
    expect(maxInAnyWindow(admitted, 1_000)).toBeLessThanOrEqual(stated);
    expect(maxInAnyWindow(admitted, 1_000)).toBeLessThanOrEqual(100); // the provider's limit
    // and the bucket really was the limit: callers were refused, and a good share of
    // burst + rate × elapsed went through (the share is loose: a busy machine sends less).
    expect(refused).toBeGreaterThan(0);
    expect(admitted.length).toBeGreaterThanOrEqual(0.4 * (rl.SMS_PROVIDER.burst + (rl.SMS_PROVIDER.ratePerSec * elapsedMs) / 1000));
  });

  // Section 6: the sync worker "is limited to 10 pages per second (200 / 20)" after its 400-token burst.
  it("the tenant policy holds 500-row pages (cost 20) to burst + 10 per second, and Remaining never exceeds Limit", async () => {
    const l = limiter(redis, { redisTimeoutMs: 250 });
    const cost = 20;
    const { admitted, elapsedMs } = await hammer(l, rl.TENANT_API, cost, 50, 1_500);
    const bound = rl.TENANT_API.burst + (rl.TENANT_API.ratePerSec * (elapsedMs + 50)) / 1000;
    expect(admitted.length * cost).toBeLessThanOrEqual(bound);
    expect(maxInAnyWindow(admitted, 1_000, cost)).toBeLessThanOrEqual(rl.TENANT_API.burst + rl.TENANT_API.ratePerSec);
    for (const { decision } of admitted) {
      expect(decision.limit).toBe(rl.TENANT_API.burst);
      expect(decision.remaining).toBeLessThanOrEqual(decision.limit);
    }
  });

  it("a caller that already left spends no token: the script does not run", async () => {
    const l = limiter(redis, { keyPrefix: "rl:v1:aborted" });
    const controller = new AbortController();
    controller.abort(new Error("client disconnected"));
    await expect(l.check(rl.TENANT_API, "t_42", 1, controller.signal)).rejects.toThrow("client disconnected");
    expect(await redis.exists("rl:v1:aborted:{tenant-api:t_42}")).toBe(0);
    await l.check(rl.TENANT_API, "t_42", 1);
    expect(await redis.exists("rl:v1:aborted:{tenant-api:t_42}")).toBe(1); // the key name is right
  });

  it("a stalled event loop is not mistaken for a slow Redis: the reply that arrived wins over the 25 ms timer", async () => {
    const { redisCalls, backend, metrics } = recordingMetrics();
    const l = limiter(redis, { metrics });
    await l.check(rl.SMS_PROVIDER, "warm-up"); // script cached, connection ready
    const pending = l.check(rl.SMS_PROVIDER, "acct-stall"); // fail-closed policy: a timeout would be a 503
    const blockedUntil = performance.now() + 200; // CPU-bound work, GC pause: the loop runs nothing
    while (performance.now() < blockedUntil);
    const decision = await pending;
    expect(decision).toMatchObject({ allowed: true, source: "redis" });
    expect(redisCalls).toEqual(["ok", "ok"]);
    expect(backend).toEqual([]);
  });

  it("policies choose their own failure mode; one breaker per limiter skips Redis for every policy; transitions are reported", async () => {
    const target = new URL(testRedis.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    const proxied = new URL(testRedis.url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const viaProxy = await testRedis.connected({ commandTimeout: 1_000, enableOfflineQueue: false }, proxied.href);
    try {
      const { redisCalls, backend, metrics } = recordingMetrics();
      const l = limiter(viaProxy, { metrics, breakerOpenMs: 300 });
      await l.check(rl.TENANT_API, "t_42"); // connected, script loaded
      proxy.hold(); // Redis stops answering (commands are held in the network)

      const startedAt = performance.now();
      await expect(l.check(rl.SMS_PROVIDER, "acct-1")).rejects.toBeInstanceOf(rl.LimiterUnavailableError); // fail closed
      expect(performance.now() - startedAt).toBeLessThan(500); // bounded by the 25 ms budget, not the client's 1 s
      const local = await l.check(rl.TENANT_API, "t_42"); // fail open: skipped Redis, decided locally
      expect(local).toMatchObject({ allowed: true, source: "local", limit: Math.floor(rl.TENANT_API.burst * rl.TENANT_API.localShare) });
      expect(redisCalls.slice(1)).toEqual(["timeout", "skipped"]);
      expect(backend).toEqual(["down"]);

      proxy.release();
      await sleep(350); // breakerOpenMs passes
      await expect(l.check(rl.TENANT_API, "t_42")).resolves.toMatchObject({ source: "redis" });
      expect(backend).toEqual(["down", "restored"]);
    } finally {
      viaProxy.disconnect();
      await proxy.close();
    }
  });

  it("overrides: an exempt tenant skips Redis, a raised tenant gets its burst, and enforce=false is shadow mode", async () => {
    const { decisions, metrics } = recordingMetrics();
    const strict: RateLimitPolicy = { ...rl.TENANT_API, name: "strict", ratePerSec: 1, burst: 2 };
    const overrides = (_policy: RateLimitPolicy, subject: string): PolicyOverride | undefined =>
      subject === "vip" ? { exempt: true } : subject === "raised" ? { burst: 5 } : subject === "shadowed" ? { enforce: false } : undefined;
    const l = limiter(redis, { metrics, overrides, keyPrefix: "rl:v1:overrides" });

    const allowed = async (subject: string, n: number): Promise<boolean[]> => {
      const out: boolean[] = [];
      for (let i = 0; i < n; i++) out.push((await l.check(strict, subject)).allowed);
      return out;
    };
    expect(await allowed("plain", 3)).toEqual([true, true, false]);
    expect(await allowed("vip", 10)).toEqual(Array(10).fill(true));
    expect(await redis.exists("rl:v1:overrides:{strict:vip}")).toBe(0);
    expect(await allowed("raised", 6)).toEqual([true, true, true, true, true, false]);
    expect(await allowed("shadowed", 4)).toEqual([true, true, true, true]);
    expect(decisions.filter((d) => d.enforced === false).map((d) => d.allowed)).toEqual([true, true, false, false]);
  });
});

describe("rate-limiting.md: while Redis is down", () => {
  // Section 5: "localShare is 1 / the autoscaler's maximum replica count (36 here) ...
  // with 1 / 12 and a scale-out to 36 during the outage, the pods together would grant 3× the rate".
  it("36 pods in fallback together admit no more than burst + rate × T", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    dead.on("error", () => {});
    vi.useFakeTimers();
    try {
      const pods = Array.from({ length: 36 }, () => limiter(dead));
      const seconds = 10;
      let admitted = 0;
      let local = 0;
      for (let step = 0; step < seconds * 100; step++) {
        for (const pod of pods) {
          const d = await pod.check(rl.TENANT_API, "t_42");
          if (d.allowed) admitted++;
          if (d.source === "local") local++;
        }
        await vi.advanceTimersByTimeAsync(10);
      }
      expect(local).toBe(36 * seconds * 100);
      expect(admitted).toBeLessThanOrEqual(rl.TENANT_API.burst + rl.TENANT_API.ratePerSec * seconds);
      expect(admitted).toBeGreaterThan(rl.TENANT_API.ratePerSec * seconds * 0.9); // fail open, at the rate
    } finally {
      dead.disconnect();
    }
  });

  it("a fail-closed policy in shadow mode admits instead of answering 503", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    dead.on("error", () => {});
    try {
      const l = limiter(dead);
      await expect(l.check(rl.SMS_PROVIDER, "acct-1")).rejects.toBeInstanceOf(rl.LimiterUnavailableError);
      await expect(l.check({ ...rl.SMS_PROVIDER, enforce: false }, "acct-1")).resolves.toMatchObject({ allowed: true, source: "none" });
    } finally {
      dead.disconnect();
    }
  });
});

describeRedis("rate-limiting.md: the HTTP wrapper on loopback", () => {
  const policy: RateLimitPolicy = { name: "http", ratePerSec: 1, burst: 2, localShare: 1, onBackendDown: "local", enforce: true };

  it("answers 429 with Retry-After rounded up to whole seconds, Limit = burst, and 400 when a cost can never fit", async () => {
    const l = limiter(redis);
    const app = await startLoopback(
      rl.withRateLimit(
        l,
        (req) => ({ policy, subject: "t_1", cost: req.url === "/export" ? 3 : 1 }),
        async (_req, res) => void res.end("ok"),
      ),
    );
    try {
      for (const remaining of ["1", "0"]) {
        const ok = await fetch(`${app.origin}/`);
        expect(ok.status).toBe(200);
        expect(ok.headers.get("x-ratelimit-limit")).toBe("2");
        expect(ok.headers.get("x-ratelimit-remaining")).toBe(remaining);
        await ok.text();
      }
      const limited = await fetch(`${app.origin}/`);
      expect(limited.status).toBe(429);
      const body = (await limited.json()) as { retryAfterMs: number };
      expect(body.retryAfterMs).toBeGreaterThan(0);
      expect(body.retryAfterMs).toBeLessThanOrEqual(1_000);
      expect(limited.headers.get("retry-after")).toBe("1"); // e.g. 800 ms rounds up, never down to 0
      const tooBig = await fetch(`${app.origin}/export`);
      expect(tooBig.status).toBe(400);
      await tooBig.text();
    } finally {
      await app.close();
    }
  });

  it("a handler error after the headers were sent cuts the connection instead of leaving the client hanging", async () => {
    const l = limiter(redis);
    const app = await startLoopback(
      rl.withRateLimit(l, () => ({ policy, subject: "t_2", cost: 1 }), async (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        await new Promise<void>((resolve) => res.write('{"rows":[', () => resolve())); // headers and a first chunk are out
        throw new Error("database connection lost mid-stream");
      }),
    );
    try {
      let status = 0;
      const outcome = await Promise.race([
        fetch(`${app.origin}/`)
          .then((res) => {
            status = res.status;
            return res.text();
          })
          .then(
            () => "complete",
            () => "connection cut",
          ),
        sleep(2_000).then(() => "hung"),
      ]);
      expect(status).toBe(200);
      expect(outcome).toBe("connection cut");
    } finally {
      await app.close();
    }
  });
});
