import "server-only";
import { Redis, type RedisOptions } from "ioredis";
import { redactSecrets } from "@/lib/redaction/redact-secrets";

/**
 * A Redis connection for one role (commands, blocking reads, pub/sub, the queue). Errors are
 * logged once per change of state, never with the URL's password; ioredis reconnects by itself.
 */
export function connectRedis(url: string, role: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { connectionName: `design-doc-studio:${role}`, ...options });
  let failing = false;
  client.on("error", (error: Error) => {
    if (failing) return;
    failing = true;
    console.error(`Redis (${role}): ${redactSecrets(error.message)}`);
  });
  client.on("ready", () => {
    if (failing) console.error(`Redis (${role}): connected again`);
    failing = false;
  });
  return client;
}
