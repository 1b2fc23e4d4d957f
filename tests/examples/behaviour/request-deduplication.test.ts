/**
 * Behaviour tests for lib/examples/library/request-deduplication.md: section 5 is extracted
 * from the Markdown and run (the coalescer on a fake clock; the fill guard against a real
 * Redis; the HTTP edge on loopback). Each test asserts a claim the document makes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importSection5 } from "@/tests/support/library-section5";
import { startLoopback, waitFor, type Loopback } from "@/tests/support/loopback";
import { connectTestRedis, type TestRedis } from "@/tests/support/redis";

type FlightOutcome = "ok" | "error" | "timeout" | "cancelled";
interface DedupMetrics {
  flightStarted(name: string): void;
  flightJoined(name: string, waiters: number): void;
  flightSettled(name: string, outcome: FlightOutcome, ms: number, waiters: number): void;
  callerAbandoned(name: string): void;
  rejected(name: string, reason: "table_full"): void;
  fillLock(name: string, result: "acquired" | "waited_hit" | "waited_timeout" | "redis_down"): void;
}
interface CoalescerOptions<T> {
  name: string;
  timeoutMs: number;
  maxInflight: number;
  maxJoinAgeMs: number;
  maxWaiters: number;
  share?: (value: T) => T;
  metrics?: DedupMetrics;
}
interface Coalescer<T> {
  readonly inflight: number;
  run(key: string, fn: (signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T>;
}
interface FillGuardOptions {
  name: string;
  cacheTtlMs: number;
  lockTtlMs: number;
  waitBudgetMs: number;
  pollMs: number;
  metrics?: DedupMetrics;
}
interface FillGuard {
  getOrFill(cacheKey: string, fill: (signal: AbortSignal) => Promise<string>, signal: AbortSignal): Promise<string>;
}
interface Product {
  id: string;
  tenant: string;
  priceCents: number;
  currency: string;
}
interface DedupModule {
  RequestCoalescer: new <T>(opts: CoalescerOptions<T>) => Coalescer<T>;
  RedisFillGuard: new (redis: Redis, opts: FillGuardOptions) => FillGuard;
  ProductReader: new (baseUrl: string, guard: FillGuard, metrics?: DedupMetrics) => {
    getProduct(tenant: string, id: string, signal?: AbortSignal): Promise<Product>;
  };
  productHandler(reader: InstanceType<DedupModule["ProductReader"]>): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  FlightTimeoutError: new (...args: never[]) => Error;
  CallerAbortedError: new (...args: never[]) => Error;
  TooManyFlightsError: new (...args: never[]) => Error;
  PRODUCT_FLIGHT: Omit<CoalescerOptions<unknown>, "share" | "metrics">;
  PRODUCT_FILL_GUARD: FillGuardOptions;
  CATALOG_FILL_P99_MS: number;
}

let dd: DedupModule;
beforeAll(async () => {
  dd = await importSection5<DedupModule>("request-deduplication.md");
});
afterEach(() => {
  vi.useRealTimers();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** An upstream call that settles after `ms` and honours its signal like fetch. */
const upstream = <T>(signal: AbortSignal, ms: number, value: T): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(value), ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

describe("request-deduplication.md: the in-process coalescer", () => {
  const coalescer = <T>(extra: Partial<CoalescerOptions<T>> = {}): Coalescer<T> =>
    new dd.RequestCoalescer<T>({ ...dd.PRODUCT_FLIGHT, ...extra });

  it("runs the upstream call once for concurrent callers and gives each a frozen copy of its own", async () => {
    const c = coalescer<{ price: number }>({ share: (p) => Object.freeze({ ...p }) });
    const fn = vi.fn((signal: AbortSignal) => upstream(signal, 20, { price: 4999 }));
    const results = await Promise.all(Array.from({ length: 100 }, () => c.run("sku-1", fn)));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(new Set(results).size).toBe(100);
    for (const r of results) {
      expect(r).toEqual({ price: 4999 });
      expect(Object.isFrozen(r)).toBe(true);
    }
    expect(c.inflight).toBe(0);
  });

  it("a caller that leaves detaches only itself; the last one to leave cancels the upstream call", async () => {
    const c = coalescer<string>();
    let upstreamSignal: AbortSignal | undefined;
    const fn = (signal: AbortSignal): Promise<string> => {
      upstreamSignal = signal;
      return upstream(signal, 50, "value");
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = c.run("k", fn, a.signal);
    const second = c.run("k", fn, b.signal);
    a.abort(new Error("mobile client went away"));
    await expect(first).rejects.toBeInstanceOf(dd.CallerAbortedError);
    expect(upstreamSignal?.aborted).toBe(false);
    await expect(second).resolves.toBe("value");

    const lonely = new AbortController();
    const only = c.run("k2", fn, lonely.signal);
    lonely.abort(new Error("gone"));
    await expect(only).rejects.toBeInstanceOf(dd.CallerAbortedError);
    expect(upstreamSignal?.aborted).toBe(true);
    expect(upstreamSignal?.reason).toBeInstanceOf(dd.CallerAbortedError);
    expect(c.inflight).toBe(0);
  });

  it("errors are shared with current waiters but not cached", async () => {
    const c = coalescer<string>();
    const failing = vi.fn(() => Promise.reject(new Error("catalog 503")));
    const results = await Promise.allSettled([c.run("k", failing), c.run("k", failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(failing).toHaveBeenCalledTimes(1);
    await expect(c.run("k", () => Promise.resolve("recovered"))).resolves.toBe("recovered");
  });

  it("the flight owns an 800 ms budget: a hung upstream call fails all its waiters with FlightTimeoutError at 800 ms", async () => {
    vi.useFakeTimers();
    const c = coalescer<string>();
    const settled: unknown[] = [];
    for (let i = 0; i < 3; i++) c.run("k", (signal) => upstream(signal, 60_000, "late")).catch((err: unknown) => settled.push(err));
    await vi.advanceTimersByTimeAsync(dd.PRODUCT_FLIGHT.timeoutMs - 1);
    expect(settled).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toHaveLength(3);
    for (const err of settled) expect(err).toBeInstanceOf(dd.FlightTimeoutError);
  });

  // Section 7: "`maxJoinAgeMs` (500 ms) stops joins to a flight with less than a fill p99 of budget left."
  it("a caller arriving after maxJoinAgeMs starts a fresh flight instead of inheriting one about to time out", async () => {
    vi.useFakeTimers();
    const c = coalescer<string>();
    const outcomes: unknown[] = [];
    c.run("k", (signal) => upstream(signal, 60_000, "never")).catch((err: unknown) => outcomes.push(err)); // catalog hangs
    await vi.advanceTimersByTimeAsync(600);
    const late = c.run("k", (signal) => upstream(signal, dd.CATALOG_FILL_P99_MS, "fresh")); // a p99 fill
    late.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(dd.PRODUCT_FLIGHT.timeoutMs - 600 + 10);
    expect(outcomes[0]).toBeInstanceOf(dd.FlightTimeoutError); // the old flight timed out at 800 ms...
    const third = vi.fn((signal: AbortSignal) => upstream(signal, 1, "third"));
    const joined = c.run("k", third); // ...without deleting the new flight, which a third caller joins
    await vi.advanceTimersByTimeAsync(dd.CATALOG_FILL_P99_MS);
    await expect(late).resolves.toBe("fresh");
    await expect(joined).resolves.toBe("fresh");
    expect(third).not.toHaveBeenCalled();
    expect(c.inflight).toBe(0);
  });

  it("the table is bounded: beyond maxInflight keys, TooManyFlightsError", async () => {
    const c = coalescer<string>({ maxInflight: 2 });
    const hold = (signal: AbortSignal): Promise<string> => upstream(signal, 30, "v");
    const a = c.run("a", hold);
    const b = c.run("b", hold);
    await expect(c.run("c", hold)).rejects.toBeInstanceOf(dd.TooManyFlightsError);
    await expect(c.run("a", hold)).resolves.toBe("v"); // joining an existing key is still fine
    await Promise.all([a, b]);
  });
});

const availability = await connectTestRedis();
const describeRedis = availability.ok ? describe : describe.skip;
if (!availability.ok) console.warn(`request-deduplication.md Redis tests skipped: ${availability.reason}`);

describeRedis("request-deduplication.md: the Redis fill guard (real Redis)", () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let n = 0;
  const cacheKey = (): string => `product:{t${++n}}:sku-1`;
  beforeAll(async () => {
    if (!availability.ok) return;
    testRedis = availability.redis;
    // The document's client settings (startServer).
    redis = await testRedis.connected({ commandTimeout: 50, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  });
  afterAll(async () => {
    await testRedis?.cleanup();
  });

  it("two pods miss together: one fills, the other reads the value; the lock is released and the value expires", async () => {
    const pods = [new dd.RedisFillGuard(redis, dd.PRODUCT_FILL_GUARD), new dd.RedisFillGuard(redis, dd.PRODUCT_FILL_GUARD)];
    const key = cacheKey();
    const fill = vi.fn((signal: AbortSignal) => upstream(signal, 100, '{"id":"sku-1"}'));
    const signal = new AbortController().signal;
    const values = await Promise.all(pods.map((pod) => pod.getOrFill(key, fill, signal)));
    expect(values).toEqual(['{"id":"sku-1"}', '{"id":"sku-1"}']);
    expect(fill).toHaveBeenCalledTimes(1);
    expect(await redis.exists(`${key}:fill`)).toBe(0);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(dd.PRODUCT_FILL_GUARD.cacheTtlMs - 1_000);
    expect(ttl).toBeLessThanOrEqual(dd.PRODUCT_FILL_GUARD.cacheTtlMs);
  });

  it("when the holder's fill fails, the waiter sees the lock gone and fills at once", async () => {
    const key = cacheKey();
    // A long wait budget, so that "at once" and "after the budget" stay far apart on a busy machine.
    const guard = { ...dd.PRODUCT_FILL_GUARD, waitBudgetMs: 5_000 };
    const holder = new dd.RedisFillGuard(redis, guard);
    const waiter = new dd.RedisFillGuard(redis, guard);
    const signal = new AbortController().signal;
    const failed = holder.getOrFill(key, (s) => upstream(s, 60, "x").then(() => Promise.reject(new Error("catalog 500"))), signal);
    failed.catch(() => undefined); // asserted below
    await sleep(10);
    const started = performance.now();
    const value = await waiter.getOrFill(key, (s) => upstream(s, 5, "own fill"), signal);
    await expect(failed).rejects.toThrow("catalog 500");
    expect(value).toBe("own fill");
    expect(performance.now() - started).toBeLessThan(guard.waitBudgetMs / 2);
  });

  // Section 7: "a non-holder's wait (400 ms, plus one poll of at most 37.5 ms) and its own fill
  // (300 ms) fit inside" the 800 ms flight budget.
  it("when the holder hangs, the waiter gives up after waitBudgetMs, early enough to fill within the flight budget", async () => {
    const key = cacheKey();
    const holder = new dd.RedisFillGuard(redis, dd.PRODUCT_FILL_GUARD);
    const waiter = new dd.RedisFillGuard(redis, dd.PRODUCT_FILL_GUARD);
    const stop = new AbortController();
    holder.getOrFill(key, (s) => upstream(s, 60_000, "never"), stop.signal).catch(() => undefined);
    await sleep(10);
    const started = performance.now();
    let fellBackAfter = Infinity;
    const value = await waiter.getOrFill(
      key,
      (s) => {
        fellBackAfter = performance.now() - started;
        return upstream(s, 1, "own fill");
      },
      new AbortController().signal,
    );
    stop.abort();
    const { waitBudgetMs, pollMs } = dd.PRODUCT_FILL_GUARD;
    expect(value).toBe("own fill");
    expect(fellBackAfter).toBeGreaterThanOrEqual(waitBudgetMs);
    expect(fellBackAfter).toBeLessThanOrEqual(waitBudgetMs + 1.5 * pollMs + 150); // slack for Redis and a busy machine
    expect(waitBudgetMs + 1.5 * pollMs + dd.CATALOG_FILL_P99_MS).toBeLessThan(dd.PRODUCT_FLIGHT.timeoutMs);
  });

  it("release compares the token: a holder whose lease expired does not delete the next holder's lock", async () => {
    const key = cacheKey();
    const slow = new dd.RedisFillGuard(redis, { ...dd.PRODUCT_FILL_GUARD, lockTtlMs: 100 }); // lease shorter than its fill
    const next = new dd.RedisFillGuard(redis, dd.PRODUCT_FILL_GUARD);
    const signal = new AbortController().signal;
    const slowFill = slow.getOrFill(key, (s) => upstream(s, 250, "slow"), signal);
    await sleep(150); // the first lease expired
    await redis.del(key); // and nothing was cached yet
    const stop = new AbortController();
    const nextFill = next.getOrFill(key, (s) => upstream(s, 60_000, "never"), stop.signal).catch(() => undefined);
    await sleep(20);
    const owner = await redis.get(`${key}:fill`);
    expect(owner).not.toBeNull();
    await slowFill; // releases its own (expired) lock on the way out
    expect(await redis.get(`${key}:fill`)).toBe(owner);
    stop.abort();
    await nextFill;
  });

  it("with Redis down it degrades to a direct fill", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    dead.on("error", () => {});
    const events: string[] = [];
    const metrics = { flightStarted() {}, flightJoined() {}, flightSettled() {}, callerAbandoned() {}, rejected() {}, fillLock: (_n: string, r: string) => void events.push(r) };
    try {
      const guard = new dd.RedisFillGuard(dead, { ...dd.PRODUCT_FILL_GUARD, metrics });
      await expect(guard.getOrFill("product:{t}:x", (s) => upstream(s, 1, "direct"), new AbortController().signal)).resolves.toBe("direct");
      expect(events).toEqual(["redis_down"]);
    } finally {
      dead.disconnect();
    }
  });

  describe("the HTTP edge on loopback", () => {
    let catalog: Loopback;
    let catalogRequests = 0;
    let catalogMode: "ok" | "slow" | "stream-503" = "ok";
    let lastCatalogSocket: Loopback["sockets"][number] | undefined;

    beforeAll(async () => {
      catalog = await startLoopback(async (req, res) => {
        catalogRequests++;
        lastCatalogSocket = catalog.sockets.find((entry) => entry.socket === req.socket);
        const [, , , tenant, , id] = (req.url ?? "").split("/"); // /v1/tenants/:tenant/products/:id
        if (catalogMode === "stream-503") {
          res.writeHead(503);
          res.write("x".repeat(1_000)); // never ends
          return;
        }
        await sleep(catalogMode === "slow" ? 200 : 30);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, tenant, priceCents: 4999, currency: "EUR", updatedAt: "2025-01-01" }));
      });
      return () => catalog.close();
    });

    const pod = async (): Promise<Loopback> =>
      startLoopback(dd.productHandler(new dd.ProductReader(catalog.origin, new dd.RedisFillGuard(redis, dd.PRODUCT_FILL_GUARD))));

    it("60 concurrent requests on two pods for one cold product: one catalog call, every tenant gets its own answer", async () => {
      const pods = [await pod(), await pod()];
      try {
        catalogMode = "ok";
        catalogRequests = 0;
        const tenant = `t-http-${++n}`;
        const responses = await Promise.all(
          Array.from({ length: 60 }, (_, i) => fetch(`${pods[i % 2]!.origin}/?id=sku-9`, { headers: { "x-tenant-id": tenant } })),
        );
        const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Product>));
        expect(responses.every((r) => r.status === 200)).toBe(true);
        expect(bodies.every((b) => b.tenant === tenant && b.id === "sku-9")).toBe(true);
        expect(catalogRequests).toBe(1);

        const other = await fetch(`${pods[0]!.origin}/?id=sku-9`, { headers: { "x-tenant-id": `${tenant}-b` } });
        expect(((await other.json()) as Product).tenant).toBe(`${tenant}-b`); // the key includes the tenant
        expect(catalogRequests).toBe(2);
      } finally {
        await Promise.all(pods.map((p) => p.close()));
      }
    });

    it("a client that disconnects cancels only its own wait", async () => {
      const [app] = [await pod()];
      try {
        catalogMode = "slow";
        catalogRequests = 0;
        const tenant = `t-abort-${++n}`;
        const leaving = new AbortController();
        const gone = fetch(`${app.origin}/?id=sku-3`, { headers: { "x-tenant-id": tenant }, signal: leaving.signal }).catch((err: unknown) => err);
        const staying = fetch(`${app.origin}/?id=sku-3`, { headers: { "x-tenant-id": tenant } });
        await sleep(50);
        leaving.abort();
        expect(await gone).toBeInstanceOf(Error);
        const res = await staying;
        expect(res.status).toBe(200);
        expect(((await res.json()) as Product).id).toBe("sku-3");
        expect(catalogRequests).toBe(1);
      } finally {
        await app.close();
      }
    });

    it("an error body still streaming is discarded by closing the catalog connection (502 to the client)", async () => {
      const app = await pod();
      try {
        catalogMode = "stream-503";
        const res = await fetch(`${app.origin}/?id=sku-4`, { headers: { "x-tenant-id": `t-503-${++n}` } });
        expect(res.status).toBe(502);
        await res.text();
        const socket = lastCatalogSocket!;
        await waitFor(() => socket.closed, "undici to close the catalog socket");
      } finally {
        await app.close();
      }
    });
  });
});
