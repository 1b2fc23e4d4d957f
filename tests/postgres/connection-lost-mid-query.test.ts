import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { connectDatabase } from "@/lib/store/connect";
import { startTcpProxy } from "../support/tcp-proxy";
import { useTestDatabase } from "../support/use-test-database";

/**
 * pg-pool listens for errors only on idle connections. A connection the server ends while a query
 * runs on it (a restart, a failover, pg_terminate_backend) reports an 'error' event with nobody
 * listening, which Node turns into an uncaught exception that ends the whole studio. Vitest fails
 * the run on such an exception, so this test fails without the studio's own listener.
 */
const database = useTestDatabase();

describe("a PostgreSQL connection lost in the middle of a query", () => {
  it("fails that query when the connection is reset, is logged without its credentials, and the next query reconnects", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const server = new URL(database.url);
    const proxy = await startTcpProxy(server.hostname, Number(server.port || 5432));
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    const db = await connectDatabase({ dialect: "postgres", url: throughProxy.toString() });
    try {
      const running = sql`select pg_sleep(30)`.execute(db);
      const outcome = running.then(
        () => "answered",
        (error: Error) => error.message,
      );
      await vi.waitFor(async () => {
        const [row] = await database.query<{ count: string }>("select count(*) as count from pg_stat_activity where query like 'select pg_sleep(30)%'");
        expect(Number(row!.count)).toBe(1);
      });
      proxy.reset();
      expect(await outcome).toMatch(/ECONNRESET|Connection terminated/);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^PostgreSQL connection lost/)));
      for (const [message] of logged.mock.calls) expect(String(message)).not.toContain(new URL(database.url).password);
      const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(db);
      expect(rows).toEqual([{ answer: 42 }]);
    } finally {
      await db.destroy();
      await proxy.close();
      logged.mockRestore();
    }
  });
});
