import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { DATABASE_CHECK_TIMEOUT_MS } from "@/lib/health/studio-health";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { useStudioHarness } from "../support/studio-harness";
import { POSTGRES_TEST_URL } from "../support/test-database";

/** What load balancers see when PostgreSQL goes away under a running studio, and comes back. */
const h = useStudioHarness({ INSTANCE_ID: "outage-test" });

const databaseName = () => new URL(h.databaseUrl).pathname.slice(1);

/** Runs SQL on the server's maintenance database, outside the studio's own (which may refuse connections). */
async function onServer(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const dropStudioConnections = () =>
  onServer(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${databaseName()}' and pid <> pg_backend_pid()`);

async function health() {
  const response = await h.health();
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("PostgreSQL outages", () => {
  it("survive the server dropping the studio's connections: the pool reconnects on the next query", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect((await health()).status).toBe(200); // the pool has an idle connection now
      await dropStudioConnections();
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^PostgreSQL connection lost/)));
      expect((await health()).body.database).toBe("ok");
      const { id } = await h.createOk("After A Dropped Connection");
      expect((await h.waitUntilFinished(id)).markdown).toBe(DEFAULT_DOCUMENT);
    } finally {
      logged.mockRestore();
    }
  });

  it("turn health into 503 'unreachable' with the JSON still there, and back to 200 when it returns", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await onServer(`alter database ${databaseName()} allow_connections false`);
      await dropStudioConnections();
      expect(await health()).toEqual({ status: 503, body: { instance: "outage-test", database: "unreachable", redis: "not configured", activeGenerations: 0 } });
      expect((await h.get("AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(500); // a clear JSON error, no stack
    } finally {
      await onServer(`alter database ${databaseName()} allow_connections true`);
      logged.mockRestore();
    }
    expect(await health()).toEqual({ status: 200, body: { instance: "outage-test", database: "ok", redis: "not configured", activeGenerations: 0 } });
  });

  it(`turn health into 503 'timeout' once the database takes ${DATABASE_CHECK_TIMEOUT_MS} ms to answer`, async () => {
    const blocker = new pg.Client({ connectionString: h.databaseUrl });
    await blocker.connect();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await blocker.query("begin");
      await blocker.query("lock table documents in access exclusive mode"); // the check's query waits for it
      const started = performance.now();
      const blocked = await health();
      const elapsed = performance.now() - started;
      expect(blocked).toEqual({ status: 503, body: { instance: "outage-test", database: "timeout", redis: "not configured", activeGenerations: 0 } });
      expect(elapsed).toBeGreaterThanOrEqual(DATABASE_CHECK_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(DATABASE_CHECK_TIMEOUT_MS + 1_500);
    } finally {
      await blocker.query("rollback");
      await blocker.end();
      logged.mockRestore();
    }
    expect((await health()).status).toBe(200);
  });
});
