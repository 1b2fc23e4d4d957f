import "server-only";
import type { Studio } from "@/lib/studio";

const DAY_MS = 86_400_000;
/** How often expired documents are looked for while the server runs. */
const RETENTION_SWEEP_MS = 3_600_000;

/**
 * RETENTION_DAYS: documents not updated for that many days are deleted (running ones are not).
 * Returns how many were deleted; without RETENTION_DAYS, none.
 */
export async function deleteExpiredDocuments(studio: Studio, now = Date.now()): Promise<number> {
  const days = studio.config.retentionDays;
  if (days === undefined) return 0;
  return studio.store.deleteUpdatedBefore(new Date(now - days * DAY_MS).toISOString());
}

/** Sweeps at start and then hourly; the timer does not keep the process alive. */
export function scheduleRetention(studio: Studio): void {
  if (studio.config.retentionDays === undefined) return;
  const sweep = () => void deleteExpiredDocuments(studio).catch((error: unknown) => console.error("deleting expired documents failed", error));
  sweep();
  setInterval(sweep, RETENTION_SWEEP_MS).unref();
}
