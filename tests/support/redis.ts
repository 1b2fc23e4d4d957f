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

export interface RedisKeyContents {
  key: string;
  type: string;
  /** Everything the key holds, as strings: a string's value, a hash's fields and values, a list's, set's or sorted set's members (with scores), a stream's entry ids, fields and values. */
  values: string[];
}

/**
 * Every key matching `match` and everything it holds, read with SCAN + TYPE and the reading
 * command of its type. `client` must have no keyPrefix (SCAN returns full key names).
 */
export async function readEveryKey(client: Redis, match = "*"): Promise<RedisKeyContents[]> {
  const keys = new Set<string>();
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", match, "COUNT", 1_000);
    for (const key of found) keys.add(key);
    cursor = next;
  } while (cursor !== "0");
  const contents: RedisKeyContents[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    let values: string[];
    if (type === "string") values = [(await client.get(key)) ?? ""];
    else if (type === "hash") values = Object.entries(await client.hgetall(key)).flat();
    else if (type === "list") values = await client.lrange(key, 0, -1);
    else if (type === "set") values = await client.smembers(key);
    else if (type === "zset") values = await client.zrange(key, "0", "-1", "WITHSCORES");
    else if (type === "stream") values = (await client.xrange(key, "-", "+")).flatMap(([id, fields]) => [id, ...fields]);
    else if (type === "none") continue; // expired or deleted since SCAN named it
    else throw new Error(`readEveryKey: ${key} has a type this helper cannot read (${type})`);
    contents.push({ key, type, values });
  }
  return contents;
}

/**
 * A studio harness's environment for one instance of a cluster on the test Redis (empty when Redis
 * is unavailable: the tests skip), with a lease short enough for a takeover within a test.
 */
export function clusterInstanceEnv(availability: RedisAvailability, instanceId: string): Record<string, string | undefined> {
  return {
    REDIS_URL: availability.ok ? availability.redis.url : "",
    REDIS_PREFIX: availability.ok ? `${availability.redis.prefix}studio` : undefined,
    LOCK_DURATION_MS: "10000",
    STALLED_INTERVAL_MS: "1000",
    INSTANCE_ID: instanceId,
  };
}
