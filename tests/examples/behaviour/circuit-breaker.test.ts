/**
 * Behaviour tests for lib/examples/library/circuit-breaker.md: section 5 is extracted
 * from the Markdown and run, and each test asserts a claim the document makes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importSection5 } from "@/tests/support/library-section5";
import { startLoopback, waitFor, type Loopback } from "@/tests/support/loopback";

type BreakerState = "closed" | "open" | "half_open";
type CallOutcome = "success" | "failure" | "slow" | "timeout" | "ignored";
interface BreakerMetrics {
  stateChange(breaker: string, from: BreakerState, to: BreakerState, reason: string): void;
  call(breaker: string, outcome: CallOutcome, ms: number): void;
  rejected(breaker: string, state: BreakerState, enforced: boolean): void;
  fallback(breaker: string, cause: string): void;
}
interface BreakerOptions {
  name: string;
  windowMs: number;
  buckets: number;
  minimumCalls: number;
  failureRate: number;
  slowCallMs: number;
  slowCallRate: number;
  openBaseMs: number;
  openMaxMs: number;
  backoffResetMs: number;
  probePermits: number;
  probeSuccesses: number;
  callTimeoutMs: number;
  isFailure?: (err: unknown) => boolean;
  enforce?: () => boolean;
  metrics?: BreakerMetrics;
  now?: () => number;
}
interface Breaker {
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T>;
  snapshot(): { state: BreakerState; retryAfterMs: number; calls: number; failures: number };
}
interface Recommendation {
  sku: string;
  score: number;
}
interface CircuitBreakerModule {
  CircuitBreaker: new (opts: BreakerOptions) => Breaker;
  BreakerHttpClient: new (defaults: Omit<BreakerOptions, "name">) => {
    getJson<T>(url: string, options?: { signal?: AbortSignal; fallback?: (cause: Error) => T | Promise<T> }): Promise<T>;
    breakerFor(origin: string): Breaker;
  };
  BreakerOpenError: new (...args: never[]) => Error & { retryAfterMs: number };
  CallTimeoutError: new (...args: never[]) => Error;
  UpstreamHttpError: new (status: number, url: string) => Error & { status: number };
  RECOMMENDATIONS_BREAKER: Omit<BreakerOptions, "name">;
  recommendationsHandler(
    client: InstanceType<CircuitBreakerModule["BreakerHttpClient"]>,
    recsOrigin: string,
    popular: () => Recommendation[] | undefined,
  ): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

let cb: CircuitBreakerModule;
beforeAll(async () => {
  cb = await importSection5<CircuitBreakerModule>("circuit-breaker.md");
});
afterEach(() => {
  vi.useRealTimers();
});

const noop = (): void => {};
const recordingMetrics = () => {
  const events: { kind: string; args: unknown[] }[] = [];
  const metrics: BreakerMetrics = {
    stateChange: (...args) => void events.push({ kind: "stateChange", args }),
    call: (...args) => void events.push({ kind: "call", args }),
    rejected: (...args) => void events.push({ kind: "rejected", args }),
    fallback: (...args) => void events.push({ kind: "fallback", args }),
  };
  return { events, metrics };
};

/** A dependency call that honours its signal the way fetch does. */
function dependencyCall<T>(signal: AbortSignal, afterMs: number, settle: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        resolve(settle());
      } catch (err) {
        reject(err);
      }
    }, afterMs);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/**
 * One pod at 100 calls/s (the document's traffic): healthy (15 ms) until `onsetMs`,
 * then every call either hangs (`hang`) or fails fast with a 503 after 5 ms.
 * Returns how long after onset the breaker opened and how many calls hit the 800 ms timeout.
 */
async function simulateOnset(onsetMs: number, failure: "hang" | "fast-503") {
  vi.useFakeTimers();
  const t0 = performance.now();
  const at = (): number => performance.now() - t0;
  let openedAt: number | undefined;
  const metrics: BreakerMetrics = {
    stateChange: (_n, _from, to) => {
      if (to === "open" && openedAt === undefined) openedAt = at();
    },
    call: noop,
    rejected: noop,
    fallback: noop,
  };
  const breaker = new cb.CircuitBreaker({ ...cb.RECOMMENDATIONS_BREAKER, name: "recs", metrics });
  let timeouts = 0;
  let calls = 0;
  for (let tick = 0; at() < onsetMs + 9_000; tick++) {
    const healthy = at() < onsetMs;
    calls++;
    breaker
      .execute((signal) =>
        healthy
          ? dependencyCall(signal, 15, () => "ok")
          : failure === "hang"
            ? new Promise<string>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
            : dependencyCall(signal, 5, () => {
                throw new cb.UpstreamHttpError(503, "http://recs/v2/similar");
              }),
      )
      .catch((err: unknown) => {
        if (err instanceof cb.CallTimeoutError) timeouts++;
      });
    await vi.advanceTimersByTimeAsync(10);
  }
  await vi.advanceTimersByTimeAsync(1_000); // let in-flight calls time out
  vi.useRealTimers();
  expect(calls).toBeGreaterThan(2_000);
  return { detectionMs: openedAt === undefined ? Infinity : openedAt - onsetMs, timeouts };
}

describe("circuit-breaker.md: detection time at the stated traffic", () => {
  // Section 5: "the breaker opens 4.9 to 5.4 s after onset. By then 490 to 540 calls per pod
  // (100/s × t) have started, and each waits the full 800 ms." Onsets at three phases of the 1 s buckets.
  it.each([12_000, 12_350, 12_700, 12_990])("a hanging dependency (onset at %i ms) opens it 4.9–5.4 s later", async (onset) => {
    const { detectionMs, timeouts } = await simulateOnset(onset, "hang");
    expect(detectionMs).toBeGreaterThanOrEqual(4_900);
    expect(detectionMs).toBeLessThanOrEqual(5_400);
    expect(timeouts).toBeGreaterThanOrEqual(490);
    expect(timeouts).toBeLessThanOrEqual(540);
  });

  // "Errors that fail fast (a 503 in 5 ms) trip after W / 2, 4.5 to 5 s."
  it.each([12_000, 12_500, 12_990])("a dependency failing fast with 503s (onset at %i ms) opens it 4.5–5 s later", async (onset) => {
    const { detectionMs, timeouts } = await simulateOnset(onset, "fast-503");
    expect(detectionMs).toBeGreaterThanOrEqual(4_500);
    expect(detectionMs).toBeLessThanOrEqual(5_000 + 10);
    expect(timeouts).toBe(0);
  });

  it("a 2 s blip of hanging calls does not open it (the false open the window prevents)", async () => {
    vi.useFakeTimers();
    const { events, metrics } = recordingMetrics();
    const breaker = new cb.CircuitBreaker({ ...cb.RECOMMENDATIONS_BREAKER, name: "recs", metrics });
    const t0 = performance.now();
    for (let at = 0; at < 20_000; at = performance.now() - t0) {
      const blip = at >= 12_000 && at < 14_000;
      breaker
        .execute((signal) =>
          blip ? new Promise<never>((_r, reject) => signal.addEventListener("abort", () => reject(signal.reason))) : dependencyCall(signal, 15, () => 1),
        )
        .catch(noop);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(events.filter((e) => e.kind === "stateChange")).toEqual([]);
    expect(breaker.snapshot().state).toBe("closed");
  });
});

/** Opens `breaker` with fast failures, on the fake clock. */
async function trip(breaker: Breaker): Promise<void> {
  for (let i = 0; i < 25 && breaker.snapshot().state === "closed"; i++) {
    await breaker.execute(() => Promise.reject(new cb.UpstreamHttpError(503, "http://recs/"))).catch(noop);
  }
  expect(breaker.snapshot().state).toBe("open");
}

describe("circuit-breaker.md: half-open permits and open periods", () => {
  it("a metrics sink that throws neither leaks probe permits nor replaces the caller's result", async () => {
    vi.useFakeTimers();
    const sinkError = new Error("metrics sink down");
    const throwing: BreakerMetrics = {
      stateChange: () => {
        throw sinkError;
      },
      call: () => {
        throw sinkError;
      },
      rejected: () => {
        throw sinkError;
      },
      fallback: () => {
        throw sinkError;
      },
    };
    const breaker = new cb.CircuitBreaker({ ...cb.RECOMMENDATIONS_BREAKER, name: "recs", metrics: throwing });
    const upstream = new cb.UpstreamHttpError(503, "http://recs/");
    await expect(breaker.execute(() => Promise.reject(upstream))).rejects.toBe(upstream);
    await trip(breaker);
    await expect(breaker.execute(() => Promise.resolve("ok"))).rejects.toBeInstanceOf(cb.BreakerOpenError);

    // Two half-open rounds: failing probes reopen it, then succeeding probes close it.
    for (const round of ["fail", "succeed"] as const) {
      await vi.advanceTimersByTimeAsync(breaker.snapshot().retryAfterMs + 1);
      for (let probe = 0; probe < cb.RECOMMENDATIONS_BREAKER.probeSuccesses; probe++) {
        if (round === "fail") {
          await expect(breaker.execute(() => Promise.reject(upstream))).rejects.toBe(upstream);
          break; // the first bad probe reopens
        }
        await expect(breaker.execute(() => Promise.resolve(`probe ${probe}`))).resolves.toBe(`probe ${probe}`);
      }
      expect(breaker.snapshot().state).toBe(round === "fail" ? "open" : "closed");
    }
    await expect(breaker.execute(() => Promise.resolve("after"))).resolves.toBe("after");
  });

  it("a call that ignores its signal and never settles still ends at callTimeoutMs and frees its probe permit", async () => {
    vi.useFakeTimers();
    const breaker = new cb.CircuitBreaker({ ...cb.RECOMMENDATIONS_BREAKER, name: "recs" });
    const hung = (): Promise<never> => new Promise<never>(() => {});
    const outcome: unknown[] = [];
    breaker.execute(hung).catch((err: unknown) => outcome.push(err));
    await vi.advanceTimersByTimeAsync(cb.RECOMMENDATIONS_BREAKER.callTimeoutMs - 1);
    expect(outcome).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome[0]).toBeInstanceOf(cb.CallTimeoutError);

    await trip(breaker);
    await vi.advanceTimersByTimeAsync(breaker.snapshot().retryAfterMs + 1);
    const probes = [hung, hung, hung].map((fn) => breaker.execute(fn).catch((err: unknown) => err));
    await vi.advanceTimersByTimeAsync(cb.RECOMMENDATIONS_BREAKER.callTimeoutMs);
    for (const probe of await Promise.all(probes)) expect(probe).toBeInstanceOf(cb.CallTimeoutError);
    expect(breaker.snapshot().state).toBe("open"); // timed-out probes reopen it: not stuck half-open
    await vi.advanceTimersByTimeAsync(breaker.snapshot().retryAfterMs + 1);
    await expect(breaker.execute(() => Promise.resolve("probe"))).resolves.toBe("probe");
  });

  it("flapping backs off: a relapse right after closing opens twice as long; 60 s closed resets it", async () => {
    vi.useFakeTimers();
    const breaker = new cb.CircuitBreaker({ ...cb.RECOMMENDATIONS_BREAKER, name: "recs" });
    const closeWithProbes = async (): Promise<void> => {
      await vi.advanceTimersByTimeAsync(breaker.snapshot().retryAfterMs + 1);
      for (let i = 0; i < cb.RECOMMENDATIONS_BREAKER.probeSuccesses; i++) await breaker.execute(() => Promise.resolve(i));
      expect(breaker.snapshot().state).toBe("closed");
    };
    const base = cb.RECOMMENDATIONS_BREAKER.openBaseMs;
    const openPeriods: number[] = [];
    await trip(breaker);
    openPeriods.push(breaker.snapshot().retryAfterMs);
    await closeWithProbes();
    await trip(breaker); // full traffic fails again within a second of closing
    openPeriods.push(breaker.snapshot().retryAfterMs);
    await closeWithProbes();
    await trip(breaker);
    openPeriods.push(breaker.snapshot().retryAfterMs);
    await closeWithProbes();
    await vi.advanceTimersByTimeAsync(cb.RECOMMENDATIONS_BREAKER.backoffResetMs + 1);
    await trip(breaker);
    openPeriods.push(breaker.snapshot().retryAfterMs);

    const multiples = [1, 2, 4, 1]; // 5 s, 10 s, 20 s, then 5 s again, each ±20%
    multiples.forEach((m, i) => {
      expect(openPeriods[i]).toBeGreaterThanOrEqual(base * m * 0.8 - 1);
      expect(openPeriods[i]).toBeLessThanOrEqual(base * m * 1.2 + 1);
    });
  });

  it("observe-only mode runs the state machine and counts would-be rejections without rejecting", async () => {
    vi.useFakeTimers();
    let enforce = false;
    const { events, metrics } = recordingMetrics();
    const breaker = new cb.CircuitBreaker({ ...cb.RECOMMENDATIONS_BREAKER, name: "recs", metrics, enforce: () => enforce });
    await trip(breaker);
    expect(events.some((e) => e.kind === "stateChange" && e.args[2] === "open")).toBe(true);
    const called = vi.fn(() => Promise.resolve("served"));
    await expect(breaker.execute(called)).resolves.toBe("served");
    expect(called).toHaveBeenCalledTimes(1);
    expect(events.filter((e) => e.kind === "rejected").map((e) => e.args)).toEqual([["recs", "open", false]]);
    expect(breaker.snapshot().state).toBe("open"); // an observed call is not a probe

    enforce = true; // the flag flip takes effect on the next call
    await expect(breaker.execute(called)).rejects.toBeInstanceOf(cb.BreakerOpenError);
    expect(called).toHaveBeenCalledTimes(1);
  });
});

describe("circuit-breaker.md: HTTP client and handler on loopback", () => {
  let recs: Loopback;
  let mode: { status: number; body: string; stream?: boolean } = { status: 200, body: "[]" };
  let recsRequests = 0;
  let lastSocket: Loopback["sockets"][number] | undefined;

  beforeAll(async () => {
    recs = await startLoopback((req, res) => {
      recsRequests++;
      lastSocket = recs.sockets.find((entry) => entry.socket === req.socket);
      res.writeHead(mode.status, { "content-type": "application/json" });
      if (mode.stream) res.write(mode.body); // the body never ends
      else res.end(mode.body);
    });
    return () => recs.close();
  });

  it("falls back on 503 but not on 404, and honours a configured isFailure", async () => {
    const client = new cb.BreakerHttpClient({ ...cb.RECOMMENDATIONS_BREAKER });
    const fallback = (): string[] => ["bestseller"];
    mode = { status: 503, body: "{}" };
    await expect(client.getJson(`${recs.origin}/v2/similar`, { fallback })).resolves.toEqual(["bestseller"]);
    mode = { status: 404, body: "{}" };
    await expect(client.getJson(`${recs.origin}/v2/similar`, { fallback })).rejects.toMatchObject({ status: 404 });

    // A dependency that answers 409 while it is overloaded: its breaker counts 409 as a failure,
    // so the call site must degrade on it too.
    const conflictIsFailure = new cb.BreakerHttpClient({
      ...cb.RECOMMENDATIONS_BREAKER,
      isFailure: (err) => err instanceof cb.UpstreamHttpError && (err.status >= 500 || err.status === 409),
    });
    mode = { status: 409, body: "{}" };
    await expect(conflictIsFailure.getJson(`${recs.origin}/v2/similar`, { fallback })).resolves.toEqual(["bestseller"]);
  });

  it("discarding an error body: the socket is kept when the body had arrived, closed when it was still streaming", async () => {
    const client = new cb.BreakerHttpClient({ ...cb.RECOMMENDATIONS_BREAKER });
    const fallback = (): string => "fallback";

    mode = { status: 503, body: "x".repeat(1_000), stream: true };
    await expect(client.getJson(`${recs.origin}/v2/similar`, { fallback })).resolves.toBe("fallback");
    const streamed = lastSocket!;
    await waitFor(() => streamed.closed, "undici to close the socket of a cancelled streaming body");

    mode = { status: 503, body: '{"error":"busy"}' };
    await expect(client.getJson(`${recs.origin}/v2/similar`, { fallback })).resolves.toBe("fallback");
    const small = lastSocket!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(small.closed).toBe(false);
    mode = { status: 200, body: "[]" };
    await client.getJson(`${recs.origin}/v2/similar`);
    expect(lastSocket).toBe(small); // the same connection, reused from the pool
  });

  it("the handler serves bestsellers while the circuit is open, and 503 with Retry-After when none are cached", async () => {
    const client = new cb.BreakerHttpClient({ ...cb.RECOMMENDATIONS_BREAKER });
    let cached: Recommendation[] | undefined = [{ sku: "best-1", score: 1 }];
    const app = await startLoopback(cb.recommendationsHandler(client, recs.origin, () => cached));
    try {
      mode = { status: 500, body: "{}" };
      recsRequests = 0;
      for (let i = 0; i < cb.RECOMMENDATIONS_BREAKER.minimumCalls; i++) {
        const res = await fetch(`${app.origin}/?sku=42`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual(cached);
      }
      expect(client.breakerFor(recs.origin).snapshot().state).toBe("open");
      const callsWhenOpened = recsRequests;

      const open = await fetch(`${app.origin}/?sku=42`);
      expect(open.status).toBe(200);
      expect(await open.json()).toEqual(cached);
      cached = undefined;
      const noFallback = await fetch(`${app.origin}/?sku=42`);
      expect(noFallback.status).toBe(503);
      expect(Number(noFallback.headers.get("retry-after"))).toBeGreaterThanOrEqual(4);
      expect(recsRequests).toBe(callsWhenOpened); // open: the dependency is not called
    } finally {
      await app.close();
    }
  });
});
