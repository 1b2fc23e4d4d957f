import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import { scheduleRetention } from "@/lib/documents/retention";
import { getStudio, type Studio } from "@/lib/studio";

/**
 * Node-only start-up work, imported by instrumentation.ts when the server boots, before it says
 * "ready": the configuration is read, the database opened and migrated, and documents a previous
 * process left `generating` are resumed (AUTO_RESUME=1) or marked `interrupted`; with Redis, only
 * those no live instance owns. A configuration or database that cannot
 * work stops the process here with a non-zero exit and a message naming the setting and the
 * reason, instead of a server that answers every request with a 500.
 * On SIGTERM/SIGINT running jobs are handed over to another instance (Redis) or stored as
 * `interrupted` for the restart.
 */
async function start(): Promise<Studio> {
  try {
    return await getStudio();
  } catch (error) {
    console.error(`Design Doc Studio cannot start. ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

// `npm start` (scripts/start.mjs) waits for this before it listens and says "ready": Next.js runs
// this module during its preparation without waiting for it to finish.
const startup = start();
(globalThis as Record<symbol, unknown>)[Symbol.for("design-doc-studio.startup")] = startup;
const studio = await startup;
scheduleRetention(studio);
// Load the compiler and the type declarations now, so the first finished document is checked warm.
void sharedTypecheckWorker().warm();

async function shutdown(signal: NodeJS.Signals) {
  await studio.generations.shutdown().catch(() => {});
  process.exit(signal === "SIGINT" ? 130 : 143);
}

process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
