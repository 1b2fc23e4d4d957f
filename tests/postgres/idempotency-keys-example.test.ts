/**
 * idempotency-keys.md against a real PostgreSQL: the schema of section 4 and the store and
 * route of section 5, extracted from the Markdown. Runs in the `postgres` project on
 * POSTGRES_TEST_URL (CI fails when it is unreachable; locally the tests are skipped with set-up
 * instructions); each run works in its own schema and drops it afterwards.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSection5, LIBRARY_DIR } from "@/tests/support/library-section5";
import { startLoopback, type Loopback } from "@/tests/support/loopback";
import { POSTGRES_TEST_URL } from "@/tests/support/test-database";
import { databaseUnavailable, skipWithoutDatabase } from "@/tests/support/use-test-database";

const URL_ = POSTGRES_TEST_URL;

interface KeyRow {
  request_hash: Buffer;
  state: "in_progress" | "completed";
  lease_remaining_ms: number;
  response_status: number | null;
  response_body: unknown;
}
interface Module {
  IdempotencyStore: new (pool: pg.Pool, cfg: Record<string, number>) => {
    tryClaim(tenant: string, key: string, hash: Buffer, token: string): Promise<"claimed" | "taken_over" | null>;
    load(tenant: string, key: string): Promise<KeyRow | undefined>;
    complete(tenant: string, key: string, token: string, result: { status: number; body: unknown; commit?: (tx: pg.PoolClient) => Promise<void> }): Promise<void>;
    release(tenant: string, key: string, token: string): Promise<void>;
  };
  LeaseLostError: new () => Error;
  requestFingerprint(req: { method: string; path: string; body: unknown }): Buffer;
  createChargeRoute(
    pool: pg.Pool,
    metrics: { claim(o: string): void; execution(o: string, ms: number): void },
    pspUrl: string,
  ): (tenantId: string, rawKey: string | undefined, body: unknown, signal: AbortSignal) => Promise<{ status: number; headers: Record<string, string>; body: unknown }>;
}

/** The ```sql block of section 4: the schema, its index and the purge statement. */
function section4Sql(): string {
  const markdown = readFileSync(path.join(LIBRARY_DIR, "idempotency-keys.md"), "utf8");
  const section4 = markdown.slice(markdown.indexOf("## 4."), markdown.indexOf("## 5."));
  const match = /```sql\n([\s\S]*?)```/.exec(section4);
  if (!match?.[1]) throw new Error("idempotency-keys.md: no ```sql block in section 4");
  return match[1];
}

skipWithoutDatabase();

describe("idempotency-keys.md: the store and route on a real PostgreSQL", () => {
  const schema = `ddstest_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  let pool: pg.Pool;
  let ik: Module;
  let psp: Loopback;
  let pspCalls = 0;
  const cfg = { leaseMs: 200, executionMarginMs: 50, inProgressWaitMs: 2_000, pollIntervalMs: 150, statementTimeoutMs: 2_000, maxResponseBytes: 64 * 1024 };

  beforeAll(async () => {
    if (databaseUnavailable()) return;
    ik = await importSection5<Module>("idempotency-keys.md");
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    pool = new pg.Pool({ connectionString: URL_, options: `-c search_path=${schema}`, max: 12 });
    await pool.query(section4Sql());
    await pool.query(
      "CREATE TABLE payments (psp_charge_id text PRIMARY KEY, tenant_id text, order_id text, amount_minor int, currency text, status text)",
    );
    psp = await startLoopback(async (req, res) => {
      for await (const chunk of req) void chunk;
      pspCalls++;
      await new Promise((resolve) => setTimeout(resolve, 100)); // slow enough for duplicates to overlap
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `ch_${req.headers["idempotency-key"]}`, status: "succeeded" }));
    });
  });
  afterAll(async () => {
    if (databaseUnavailable()) return;
    await psp?.close();
    await pool?.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool?.end();
  });

  it("claims once, takes over only an expired lease with the same fingerprint, and fences completion by token", async () => {
    const store = new ik.IdempotencyStore(pool, cfg);
    const hash = ik.requestFingerprint({ method: "POST", path: "/v1/payments", body: { a: 1 } });
    const other = ik.requestFingerprint({ method: "POST", path: "/v1/payments", body: { a: 2 } });
    const [t1, t2, t3] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await store.tryClaim("acct", "key-0001-aaaa-bbbb", hash, t1)).toBe("claimed");
    expect(await store.tryClaim("acct", "key-0001-aaaa-bbbb", hash, t2)).toBeNull();
    const live = await store.load("acct", "key-0001-aaaa-bbbb");
    expect(live?.state).toBe("in_progress");
    expect(live?.lease_remaining_ms).toBeGreaterThan(0);
    expect(live?.lease_remaining_ms).toBeLessThanOrEqual(cfg.leaseMs);
    await new Promise((resolve) => setTimeout(resolve, cfg.leaseMs + 50));
    expect((await store.load("acct", "key-0001-aaaa-bbbb"))?.lease_remaining_ms).toBe(0);
    expect(await store.tryClaim("acct", "key-0001-aaaa-bbbb", other, t2)).toBeNull(); // different request: no takeover
    expect(await store.tryClaim("acct", "key-0001-aaaa-bbbb", hash, t3)).toBe("taken_over");
    await expect(store.complete("acct", "key-0001-aaaa-bbbb", t1, { status: 201, body: {} })).rejects.toBeInstanceOf(ik.LeaseLostError);
    await store.release("acct", "key-0001-aaaa-bbbb", t1); // not ours any more: no-op
    await store.complete("acct", "key-0001-aaaa-bbbb", t3, {
      status: 201,
      body: { paymentId: "ch_1" },
      commit: async (tx) => void (await tx.query("INSERT INTO payments (psp_charge_id, tenant_id) VALUES ('ch_1', 'acct')")),
    });
    const done = await store.load("acct", "key-0001-aaaa-bbbb");
    expect(done).toMatchObject({ state: "completed", response_status: 201, response_body: { paymentId: "ch_1" } });
    expect((await pool.query("SELECT count(*)::int AS n FROM payments WHERE psp_charge_id = 'ch_1'")).rows[0]).toEqual({ n: 1 });
  });

  it("ten concurrent attempts of one intent on ten connections: one PSP charge, one payment row, the rest replay", async () => {
    const route = ik.createChargeRoute(pool, { claim() {}, execution() {} }, psp.origin);
    pspCalls = 0;
    const body = { amountMinor: 4999, currency: "EUR", paymentMethodId: "pm_1", orderId: "o-77" };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => route("acct_7", "intent-o-77-000001", body, new AbortController().signal)),
    );
    expect(pspCalls).toBe(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.filter((r) => r.headers["idempotent-replayed"] === "true")).toHaveLength(9);
    expect((await pool.query("SELECT count(*)::int AS n FROM payments WHERE order_id = 'o-77'")).rows[0]).toEqual({ n: 1 });
  });
});
