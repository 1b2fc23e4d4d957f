/**
 * The services a cluster test needs — PostgreSQL, Redis and nginx — checked before it starts.
 * With CI set a missing one fails the run; locally the tests are skipped with the commands that
 * start them.
 */
import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import { INSTALL_NGINX, NGINX_BINARY } from "../../scripts/cluster/start-cluster";
import { REDIS_URL, START_REDIS } from "./redis";
import { POSTGRES_SETUP_HELP, probePostgres } from "./test-database";

export const inCi = () => Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? "");

async function probeRedis(): Promise<void> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

/** Null when every service answers; otherwise what is missing and how to start it. */
export async function missingClusterServices(): Promise<string | null> {
  const problems: string[] = [];
  await probePostgres().catch((error: unknown) => problems.push(`${POSTGRES_SETUP_HELP}\nCause: ${error instanceof Error ? error.message : String(error)}`));
  await probeRedis().catch((error: unknown) =>
    problems.push(`Redis is not reachable at ${REDIS_URL} (${error instanceof Error ? error.message : String(error)}). Start one with: ${START_REDIS} (or set REDIS_URL).`),
  );
  if (!existsSync(NGINX_BINARY)) problems.push(`nginx is not installed (${NGINX_BINARY}): ${INSTALL_NGINX}`);
  if (problems.length === 0) return null;
  const message = problems.join("\n\n");
  if (inCi()) throw new Error(`CI is set, so the cluster tests must run.\n${message}`);
  return message;
}
