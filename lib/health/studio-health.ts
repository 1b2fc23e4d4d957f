import "server-only";
import { getConfig } from "@/lib/config/env";
import { getInstanceId } from "@/lib/instance-id";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import type { RedisHealth } from "@/lib/cluster/generations";
import { getStudio } from "@/lib/studio";

/** `ok`, or why the database did not answer the check's query. */
export type DatabaseHealth = "ok" | "unreachable" | "timeout";

/** GET /api/health: public, for load balancers, so it names no document. */
export interface StudioHealth {
  instance: string;
  database: DatabaseHealth;
  /** `not configured` without REDIS_URL; else whether Redis answered a PING within 2 s. */
  redis: RedisHealth;
  activeGenerations: number;
}

/** A database slower than this to answer `select … limit 1` is reported unhealthy. */
export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

type Probe<T> = { state: "ok"; value: T } | { state: Exclude<DatabaseHealth, "ok">; error?: unknown };

/** One step against the database, given DATABASE_CHECK_TIMEOUT_MS to answer. */
async function probe<T>(work: () => Promise<T>): Promise<Probe<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Probe<T>>((resolve) => (timer = setTimeout(() => resolve({ state: "timeout" }), DATABASE_CHECK_TIMEOUT_MS)));
  const attempt = work().then(
    (value): Probe<T> => ({ state: "ok", value }),
    (error: unknown): Probe<T> => ({ state: "unreachable", error }),
  );
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Load balancers ask every few seconds: log when the state changes, not on every check.
const globalForHealth = globalThis as typeof globalThis & { __designDocStudioDatabaseHealth?: DatabaseHealth };

function report(result: Probe<unknown>): DatabaseHealth {
  if (result.state !== (globalForHealth.__designDocStudioDatabaseHealth ?? "ok")) {
    const detail = result.state !== "ok" && result.error instanceof Error ? `: ${redactSecrets(result.error.message)}` : "";
    console.error(result.state === "ok" ? "database health check: ok again" : `database health check: ${result.state}${detail}`);
  }
  globalForHealth.__designDocStudioDatabaseHealth = result.state;
  return result.state;
}

/**
 * This instance's health: the database answers a cheap query within DATABASE_CHECK_TIMEOUT_MS
 * (a studio that could not open its database at all is `unreachable`; opening is retried on the
 * next check), and how many generations it runs.
 */
export async function checkStudioHealth(): Promise<StudioHealth> {
  const instance = getInstanceId(getConfig().instanceId);
  const opened = await probe(() => getStudio());
  const studio = opened.state === "ok" ? opened.value : null;
  const checked = studio ? await probe(() => studio.store.ping()) : opened;
  const redis: RedisHealth = studio ? await studio.generations.health() : getConfig().redisUrl ? "unreachable" : "not configured";
  return { instance, database: report(checked), redis, activeGenerations: studio?.generations.activeHere ?? 0 };
}

/** An instance serves when its database answers, and its Redis too when it has one. */
export function isServing(health: StudioHealth): boolean {
  return health.database === "ok" && (health.redis === "ok" || health.redis === "not configured");
}
