import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

// Route handlers are bundled separately by Next.js; globalThis keeps one id per process.
const globalForInstance = globalThis as typeof globalThis & { __designDocStudioInstance?: string };

/**
 * The id of this server process, stable for its lifetime: INSTANCE_ID when set, otherwise
 * hostname, pid and a random suffix (a restarted process with a reused pid gets a new id).
 */
export function getInstanceId(configured: string | undefined): string {
  if (configured) return configured;
  globalForInstance.__designDocStudioInstance ??= `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  return globalForInstance.__designDocStudioInstance;
}
