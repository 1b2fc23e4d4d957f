import { getStudio, INTERRUPTED_MESSAGE } from "@/lib/studio";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";

/**
 * Node-only start-up work, imported by instrumentation.ts when the server boots: opening the studio
 * applies migrations and marks documents a previous process left `generating` as `interrupted`
 * before the first request. On SIGTERM/SIGINT running jobs are stored as `interrupted` too.
 */
const studio = await getStudio();
// Load the compiler and the type declarations now, so the first finished document is checked warm.
void sharedTypecheckWorker().warm();

async function shutdown(signal: NodeJS.Signals) {
  await studio.registry.interruptAll(INTERRUPTED_MESSAGE).catch(() => {});
  process.exit(signal === "SIGINT" ? 130 : 143);
}

process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
