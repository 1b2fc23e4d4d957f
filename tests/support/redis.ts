/**
 * The real Redis that behaviour tests of the example library run against.
 *
 * REDIS_URL (default redis://127.0.0.1:6379). Every key a test run writes carries a
 * prefix unique to the run (ioredis `keyPrefix`, which also prefixes EVAL/EVALSHA keys),
 * and `cleanup()` deletes them, so runs from several checkouts can share one server.
 * Unreachable Redis: with CI=true the test run fails; locally the tests are skipped with
 * the command that starts one.
 */
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const START_REDIS = 'redis-server --daemonize yes --port 6379 --save "" --appendonly no';

export interface TestRedis {
  url: string;
  /** Prefix of every key this run writes through `client()`. */
  prefix: string;
  /** A new client whose keys live under `prefix`; closed by `cleanup()`. */
  client(options?: RedisOptions, url?: string): Redis;
  /** `client()`, connected and ready (needed with `enableOfflineQueue: false`). */
  connected(options?: RedisOptions, url?: string): Promise<Redis>;
  /** Deletes this run's keys and disconnects every client. */
  cleanup(): Promise<void>;
}

export type RedisAvailability = { ok: true; redis: TestRedis } | { ok: false; reason: string };

export async function connectTestRedis(): Promise<RedisAvailability> {
  const prefix = `ddstest:${process.pid}:${randomUUID().slice(0, 8)}:`;
  const clients: Redis[] = [];
  const client = (options: RedisOptions = {}, url = REDIS_URL): Redis => {
    const c = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1, ...options });
    c.on("error", () => {}); // connection errors surface as rejected commands
    clients.push(c);
    return c;
  };
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    probe.disconnect();
    const reason =
      `Redis is not reachable at ${REDIS_URL} (${err instanceof Error ? err.message : String(err)}). ` +
      `Start one with: ${START_REDIS} (or set REDIS_URL).`;
    if (process.env.CI === "true") throw new Error(`${reason} CI needs it: .ci/run starts it.`);
    return { ok: false, reason };
  }
  clients.push(probe);
  return {
    ok: true,
    redis: {
      url: REDIS_URL,
      prefix,
      client,
      async connected(options: RedisOptions = {}, url = REDIS_URL) {
        const c = client({ ...options, lazyConnect: true }, url);
        await c.connect();
        return c;
      },
      async cleanup() {
        let cursor = "0";
        do {
          const [next, keys] = await probe.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          if (keys.length > 0) await probe.del(...keys);
          cursor = next;
        } while (cursor !== "0");
        for (const c of clients) c.disconnect();
      },
    },
  };
}
