// @ts-check
/**
 * Entry of the type-check worker thread (started by lib/typecheck/worker-client.ts).
 * Messages in:  { id, files: CheckFile[] }
 * Messages out: { type: "ready", version, warmupMs } once, then { id, files: FileResult[], ms }
 *               or { id, error } per request.
 * The compiler work is synchronous: one request at a time, in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createTypeChecker } from "./compiler.mjs";

/** Loads the compiler, the language library and the common packages' declarations up front. */
const WARMUP = `import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { Pool } from "pg";
export async function warm(redis: Redis, pool: Pool, signal: AbortSignal): Promise<number> {
  await sleep(1, undefined, { signal });
  const rows = await pool.query<{ n: number }>("select 1 as n");
  return Number(await redis.get("k")) + (rows.rows[0]?.n ?? 0) + (await fetch("http://localhost")).status;
}
`;

const port = parentPort;
if (!port) throw new Error("typecheck-worker.mjs runs as a worker thread");

const started = performance.now();
const checker = createTypeChecker(workerData);
checker.check([{ name: "warmup.ts", text: WARMUP, assumeFreeNames: false }]);
port.postMessage({ type: "ready", version: checker.version, warmupMs: Math.round(performance.now() - started) });

port.on("message", (/** @type {{ id: number, files: import("./compiler.mjs").CheckFile[] }} */ message) => {
  const begun = performance.now();
  try {
    const files = checker.check(message.files);
    port.postMessage({ id: message.id, files, ms: Math.round(performance.now() - begun) });
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
