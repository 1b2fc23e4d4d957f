/**
 * Behaviour tests for lib/examples/library/timeouts-and-deadline-propagation.md: section 5 is
 * extracted from the Markdown and run (deadlines on a fake clock; callJson, the server and the
 * fan-out handler over real HTTP on loopback). Each test asserts a claim the document makes.
 *
 * Postgres is reached through the document's structural `SqlPool` interface; the pool here
 * records what the code sends and plays the server's part (pg itself is not exercised).
 */
import { getEventListeners } from "node:events";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importSection5 } from "@/tests/support/library-section5";
import { startLoopback, waitFor, type Loopback } from "@/tests/support/loopback";

interface Deadline {
  readonly signal: AbortSignal;
  remainingMs(): number;
  child(capMs: number, reserveMs?: number): Deadline;
  cancel(reason: unknown): void;
  dispose(): void;
}
type AttemptOutcome = "ok" | "timeout" | "cancelled" | "error" | "no_budget";
interface DeadlineMetrics {
  ingressBudget(ms: number): void;
  attempt(target: string, outcome: AttemptOutcome, ms: number): void;
  exceeded(where: string): void;
}
interface CallOptions {
  target: string;
  url: string;
  init?: RequestInit;
  perAttemptMs: number;
  maxAttempts: number;
  minUsefulMs: number;
  reserveMs: number;
  idempotent: boolean;
}
interface PoolClient {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  release(destroy?: boolean): void;
}
interface SqlPool {
  connect(): Promise<PoolClient>;
}
interface ServerConfig {
  defaultBudgetMs: number;
  maxBudgetMs: number;
  minBudgetMs: number;
  lbIdleTimeoutMs: number;
}
type Handler = (req: IncomingMessage, res: ServerResponse, deadline: Deadline) => Promise<void>;
interface TimeoutsModule {
  BUDGET_HEADER: string;
  Deadline: {
    fromHeaders(headers: IncomingMessage["headers"], defaultMs: number, maxMs: number, parent?: AbortSignal): Deadline;
    after(ms: number, parent?: AbortSignal): Deadline;
  };
  DeadlineExceededError: new (where: string, budgetMs: number) => Error & { where: string };
  ClientGoneError: new () => Error;
  UpstreamError: new (...args: never[]) => Error & { status: number };
  callJson<T>(deadline: Deadline, o: CallOptions, metrics: DeadlineMetrics): Promise<T>;
  queryWithDeadline<R>(pool: SqlPool, deadline: Deadline, sql: string, values: unknown[]): Promise<R[]>;
  createDeadlineServer(handler: Handler, cfg: ServerConfig, metrics: DeadlineMetrics): Server;
  quoteHandler(pool: SqlPool, metrics: DeadlineMetrics, origins: { pricing: string; inventory: string }): Handler;
}

let td: TimeoutsModule;
beforeAll(async () => {
  td = await importSection5<TimeoutsModule>("timeouts-and-deadline-propagation.md");
});
afterEach(() => {
  vi.useRealTimers();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
function recordingMetrics() {
  const attempts: AttemptOutcome[] = [];
  const exceeded: string[] = [];
  const metrics: DeadlineMetrics = {
    ingressBudget: () => {},
    attempt: (_t, outcome) => void attempts.push(outcome),
    exceeded: (where) => void exceeded.push(where),
  };
  return { attempts, exceeded, metrics };
}

/** The document's structural pool, playing the Postgres server: records statements, answers `rows`. */
function recordingPool(options: { connectDelayMs?: number; rows?: unknown[]; failWith?: { code: string } } = {}) {
  const statements: string[] = [];
  const releases: (boolean | undefined)[] = [];
  const pool: SqlPool = {
    connect: async () => {
      if (options.connectDelayMs) await sleep(options.connectDelayMs);
      return {
        query: async <R,>(text: string): Promise<{ rows: R[] }> => {
          statements.push(text);
          if (options.failWith && !/^(BEGIN|SET LOCAL|ROLLBACK|COMMIT)/.test(text)) throw Object.assign(new Error("canceling statement"), options.failWith);
          return { rows: (/^(BEGIN|SET LOCAL|ROLLBACK|COMMIT)/.test(text) ? [] : (options.rows ?? [])) as R[] };
        },
        release: (destroy?: boolean) => void releases.push(destroy),
      };
    },
  };
  return { pool, statements, releases };
}

describe("timeouts-and-deadline-propagation.md: the Deadline primitive (fake clock)", () => {
  it("clamps the caller's budget, defaults a missing or malformed one, and fires exactly at the budget", async () => {
    vi.useFakeTimers();
    const header = td.BUDGET_HEADER;
    expect(td.Deadline.fromHeaders({ [header]: "9999999" }, 3_000, 10_000).remainingMs()).toBe(10_000);
    expect(td.Deadline.fromHeaders({}, 3_000, 10_000).remainingMs()).toBe(3_000);
    expect(td.Deadline.fromHeaders({ [header]: "-5" }, 3_000, 10_000).remainingMs()).toBe(3_000);
    expect(td.Deadline.fromHeaders({ [header]: "1718000000123" }, 3_000, 10_000).remainingMs()).toBe(3_000); // not a wall-clock time

    const d = td.Deadline.fromHeaders({ [header]: "250" }, 3_000, 10_000);
    await vi.advanceTimersByTimeAsync(249);
    expect(d.signal.aborted).toBe(false);
    expect(d.remainingMs()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(d.signal.reason).toBeInstanceOf(td.DeadlineExceededError);
    expect(d.remainingMs()).toBe(0);
  });

  it("a child is never later than its parent, is cancelled with it, and dispose() leaves nothing on the parent", async () => {
    vi.useFakeTimers();
    const parent = td.Deadline.after(1_000);
    const baseline = getEventListeners(parent.signal, "abort").length;
    const children = Array.from({ length: 1_000 }, () => parent.child(5_000, 50));
    expect(children[0]!.remainingMs()).toBe(950);
    for (const c of children) c.dispose();
    expect(getEventListeners(parent.signal, "abort").length).toBe(baseline);

    const child = parent.child(5_000);
    const reason = new Error("client left");
    parent.cancel(reason);
    expect(child.signal.reason).toBe(reason);
    child.dispose();
    expect(vi.getTimerCount()).toBe(1); // only the parent's own timer is left
    parent.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("timeouts-and-deadline-propagation.md: callJson over loopback", () => {
  let callee: Loopback;
  let behaviour: (req: IncomingMessage, res: ServerResponse) => void | Promise<void> = (_req, res) => void res.end("{}");
  let received: { budget: string | undefined; closedEarly: Promise<boolean> }[] = [];
  beforeAll(async () => {
    callee = await startLoopback((req, res) => {
      received.push({
        budget: req.headers[td.BUDGET_HEADER] as string | undefined,
        closedEarly: new Promise((resolve) => res.on("close", () => resolve(!res.writableEnded))),
      });
      return behaviour(req, res);
    });
    return () => callee.close();
  });
  const options = (extra: Partial<CallOptions> = {}): CallOptions => ({
    target: "inventory",
    url: `${callee.origin}/v1/stock/42`,
    perAttemptMs: 250,
    maxAttempts: 2,
    minUsefulMs: 40,
    reserveMs: 5,
    idempotent: true,
    ...extra,
  });

  it("sends the attempt budget minus 10 ms downstream, never more than the caller has left", async () => {
    received = [];
    behaviour = (_req, res) => void res.end('{"available":3}');
    const roomy = td.Deadline.after(2_000);
    await expect(td.callJson(roomy, options(), recordingMetrics().metrics)).resolves.toEqual({ available: 3 });
    const tight = td.Deadline.after(120);
    await td.callJson(tight, options(), recordingMetrics().metrics);
    roomy.dispose();
    tight.dispose();
    const [capped, short] = received.map((r) => Number(r.budget));
    expect(capped).toBeLessThanOrEqual(250 - 10);
    expect(capped).toBeGreaterThan(250 - 10 - 150); // (a busy machine delays the call)
    expect(short).toBeLessThanOrEqual(120 - 5 - 10);
    expect(short).toBeGreaterThan(0);
  });

  it("an attempt that times out closes the callee's socket, and a callee's 504 is retried like one", async () => {
    received = [];
    let calls = 0;
    behaviour = async (_req, res) => {
      calls++;
      if (calls === 1) return; // hangs: only our attempt timeout ends it
      if (calls === 2) return void res.writeHead(504).end();
      res.end('{"available":1}');
    };
    const { attempts, metrics } = recordingMetrics();
    const deadline = td.Deadline.after(2_000);
    const started = performance.now();
    await expect(td.callJson(deadline, options({ maxAttempts: 3 }), metrics)).resolves.toEqual({ available: 1 });
    deadline.dispose();
    expect(attempts).toEqual(["timeout", "timeout", "ok"]);
    expect(await received[0]!.closedEarly).toBe(true); // the callee saw the client go away
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("starts no attempt when less than minUsefulMs is left", async () => {
    received = [];
    const { attempts, metrics } = recordingMetrics();
    const deadline = td.Deadline.after(30);
    await expect(td.callJson(deadline, options(), metrics)).rejects.toBeInstanceOf(td.DeadlineExceededError);
    deadline.dispose();
    expect(attempts).toEqual(["no_budget"]);
    expect(received).toEqual([]);
  });
});

describe("timeouts-and-deadline-propagation.md: the deadline server over loopback", () => {
  const cfg: ServerConfig = { defaultBudgetMs: 3_000, maxBudgetMs: 10_000, minBudgetMs: 20, lbIdleTimeoutMs: 60_000 };
  async function serve(handler: Handler): Promise<{ server: Server; origin: string; close(): Promise<void> }> {
    const server = td.createDeadlineServer(handler, cfg, recordingMetrics().metrics);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      server,
      origin,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
  const untilAborted = (deadline: Deadline): Promise<void> =>
    new Promise((_resolve, reject) => deadline.signal.addEventListener("abort", () => reject(deadline.signal.reason)));

  it("answers 504 when the caller's budget runs out, and at once when it is below minBudgetMs", async () => {
    const handler = vi.fn(async (_req: IncomingMessage, _res: ServerResponse, deadline: Deadline) => untilAborted(deadline));
    const app = await serve(handler);
    try {
      const started = performance.now();
      const slow = await fetch(app.origin, { headers: { [td.BUDGET_HEADER]: "150" } });
      const elapsed = performance.now() - started;
      expect(slow.status).toBe(504);
      expect(await slow.json()).toEqual({ error: "deadline_exceeded" });
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(1_000);
      const hopeless = await fetch(app.origin, { headers: { [td.BUDGET_HEADER]: "5" } });
      expect(hopeless.status).toBe(504);
      await hopeless.text();
      expect(handler).toHaveBeenCalledTimes(1);
      expect(app.server.keepAliveTimeout).toBe(cfg.lbIdleTimeoutMs + 5_000);
      expect(app.server.headersTimeout).toBeGreaterThan(app.server.keepAliveTimeout);
    } finally {
      await app.close();
    }
  });

  it("a client disconnect aborts the handler's deadline with ClientGoneError; a consumed POST body does not", async () => {
    const reasons: unknown[] = [];
    const app = await serve(async (req, res, deadline) => {
      for await (const chunk of req) void chunk; // consume the body: req emits "close" now on modern Node
      await sleep(60);
      if (deadline.signal.aborted) {
        reasons.push(deadline.signal.reason);
        return;
      }
      if (req.url === "/hang") {
        await untilAborted(deadline).catch((err: unknown) => reasons.push(err));
        return;
      }
      res.end(JSON.stringify({ aborted: false }));
    });
    try {
      const post = await fetch(`${app.origin}/`, { method: "POST", body: JSON.stringify({ sku: "42", qty: 1 }) });
      expect(post.status).toBe(200);
      expect(await post.json()).toEqual({ aborted: false });

      const leaving = new AbortController();
      const gone = fetch(`${app.origin}/hang`, { signal: leaving.signal }).catch(() => "aborted");
      await sleep(100);
      leaving.abort();
      expect(await gone).toBe("aborted");
      await waitFor(() => reasons.length > 0, "the handler's deadline to abort");
      expect(reasons[0]).toBeInstanceOf(td.ClientGoneError);
    } finally {
      await app.close();
    }
  });

  it("quoteHandler: a pricing 500 cancels the inventory call at once and answers 502", async () => {
    const pricing = await startLoopback((_req, res) => void res.writeHead(500).end());
    const inventoryClosed: boolean[] = [];
    const inventory = await startLoopback((_req, res) => {
      res.on("close", () => inventoryClosed.push(!res.writableEnded));
      setTimeout(() => res.end('{"available":3}'), 1_000);
    });
    const { pool } = recordingPool({ rows: [] });
    const app = await serve(td.quoteHandler(pool, recordingMetrics().metrics, { pricing: pricing.origin, inventory: inventory.origin }));
    try {
      const started = performance.now();
      const res = await fetch(`${app.origin}/quote?sku=42`, { headers: { [td.BUDGET_HEADER]: "2000" } });
      expect(res.status).toBe(502);
      await res.text();
      await waitFor(() => inventoryClosed.length > 0, "the inventory request to be cancelled", 500);
      expect(inventoryClosed).toEqual([true]);
      expect(performance.now() - started).toBeLessThan(500); // not the 250 ms attempts, not the 1 s answer
    } finally {
      await Promise.all([app.close(), pricing.close(), inventory.close()]);
    }
  });

  it("quoteHandler: prices with the promotion, and degrades to no promotion when the query fails", async () => {
    const pricing = await startLoopback((_req, res) => void res.end('{"cents":1000}'));
    const inventory = await startLoopback((_req, res) => void res.end('{"available":3}'));
    const origins = { pricing: pricing.origin, inventory: inventory.origin };
    const withPromo = await serve(td.quoteHandler(recordingPool({ rows: [{ pct: 10 }] }).pool, recordingMetrics().metrics, origins));
    const brokenDb = await serve(td.quoteHandler(recordingPool({ failWith: { code: "08006" } }).pool, recordingMetrics().metrics, origins));
    try {
      expect(await (await fetch(`${withPromo.origin}/?sku=42`)).json()).toEqual({ sku: "42", cents: 900, available: 3 });
      expect(await (await fetch(`${brokenDb.origin}/?sku=42`)).json()).toEqual({ sku: "42", cents: 1000, available: 3 });
    } finally {
      await Promise.all([withPromo.close(), brokenDb.close(), pricing.close(), inventory.close()]);
    }
  });
});

describe("timeouts-and-deadline-propagation.md: queryWithDeadline", () => {
  it("runs the query in a transaction with statement_timeout = remaining budget − 20 ms", async () => {
    const { pool, statements, releases } = recordingPool({ rows: [{ pct: 5 }] });
    const deadline = td.Deadline.after(500);
    await expect(td.queryWithDeadline(pool, deadline, "SELECT pct FROM promotions WHERE sku = $1", ["42"])).resolves.toEqual([{ pct: 5 }]);
    deadline.dispose();
    expect(statements[0]).toBe("BEGIN");
    const timeout = Number(/^SET LOCAL statement_timeout = (\d+)$/.exec(statements[1] ?? "")?.[1]);
    expect(timeout).toBeLessThanOrEqual(480);
    expect(timeout).toBeGreaterThan(440);
    expect(statements.slice(2)).toEqual(["SELECT pct FROM promotions WHERE sku = $1", "COMMIT"]);
    expect(releases).toEqual([false]);
  });

  it("turns Postgres's statement timeout (57014) into DeadlineExceededError and rolls back", async () => {
    const { pool, statements, releases } = recordingPool({ failWith: { code: "57014" } });
    const deadline = td.Deadline.after(500);
    await expect(td.queryWithDeadline(pool, deadline, "SELECT 1", [])).rejects.toBeInstanceOf(td.DeadlineExceededError);
    deadline.dispose();
    expect(statements.at(-1)).toBe("ROLLBACK");
    expect(releases).toEqual([false]);
  });

  it("stops waiting for a pooled connection at the deadline and releases the one that arrives late", async () => {
    const { pool, statements, releases } = recordingPool({ connectDelayMs: 200 });
    const deadline = td.Deadline.after(50);
    let releasedBeforeRejection: number | undefined;
    await expect(
      td.queryWithDeadline(pool, deadline, "SELECT 1", []).finally(() => (releasedBeforeRejection = releases.length)),
    ).rejects.toBeInstanceOf(td.DeadlineExceededError);
    expect(releasedBeforeRejection).toBe(0); // gave up before the connection came
    await waitFor(() => releases.length === 1, "the late connection to be released");
    expect(statements).toEqual([]);
    deadline.dispose();
  });
});
