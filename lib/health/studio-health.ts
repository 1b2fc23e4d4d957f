import "server-only";
import { getConfig } from "@/lib/config/env";
import { getInstanceId } from "@/lib/instance-id";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { getStudio } from "@/lib/studio";

/** `ok`, or why the database did not answer the check's query. */
export type DatabaseHealth = "ok" | "unreachable" | "timeout";

/** GET /api/health: public, for load balancers, so it names no document. */
export interface StudioHealth {
  instance: string;
  database: DatabaseHealth;
  /** Until the Redis work lands, always "not configured". */
  redis: "not configured";
  activeGenerations: number;
}

/** A database slower than this to answer `select … limit 1` is reported unhealthy. */
export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

const TIMED_OUT = Symbol("timed out");

async function withinTimeout<T>(work: Promise<T>): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), DATABASE_CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Load balancers ask every few seconds: log when the state changes, not on every check.
const globalForHealth = globalThis as typeof globalThis & { __designDocStudioDatabaseHealth?: DatabaseHealth };

function report(state: DatabaseHealth, error?: unknown): DatabaseHealth {
  if (state !== (globalForHealth.__designDocStudioDatabaseHealth ?? "ok")) {
    const detail = error instanceof Error ? `: ${redactSecrets(error.message)}` : "";
    console.error(state === "ok" ? "database health check: ok again" : `database health check: ${state}${detail}`);
  }
  globalForHealth.__designDocStudioDatabaseHealth = state;
  return state;
}

/**
 * This instance's health: the database answers a cheap query within DATABASE_CHECK_TIMEOUT_MS
 * (a studio that could not open its database at all is `unreachable`; opening is retried on the
 * next check), and how many generations it runs.
 */
export async function checkStudioHealth(): Promise<StudioHealth> {
  const instance = getInstanceId(getConfig().instanceId);
  const unhealthy = (database: DatabaseHealth, error?: unknown): StudioHealth => ({
    instance,
    database: report(database, error),
    redis: "not configured",
    activeGenerations: 0,
  });

  let studio;
  try {
    studio = await withinTimeout(getStudio());
  } catch (error) {
    return unhealthy("unreachable", error);
  }
  if (studio === TIMED_OUT) return unhealthy("timeout");

  let database: DatabaseHealth;
  try {
    database = (await withinTimeout(studio.store.ping())) === TIMED_OUT ? "timeout" : "ok";
  } catch (error) {
    return { ...unhealthy("unreachable", error), activeGenerations: studio.registry.activeCount };
  }
  return { instance, database: report(database), redis: "not configured", activeGenerations: studio.registry.activeCount };
}
