import { getStudio } from "@/lib/studio";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";

/**
 * Node-only start-up work, imported by instrumentation.ts when the server boots: opening the studio
 * applies migrations and marks documents a previous process left `generating` as `interrupted`
 * before the first request (or, with AUTO_RESUME=1, resumes them). On SIGTERM/SIGINT running jobs
 * are handed over to another instance (Redis) or stored as `interrupted` for the restart.
 */
const studio = await getStudio();
// Load the compiler and the type declarations now, so the first finished document is checked warm.
void sharedTypecheckWorker().warm();

async function shutdown(signal: NodeJS.Signals) {
  await studio.generations.shutdown().catch(() => {});
  process.exit(signal === "SIGINT" ? 130 : 143);
}

process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
