/**
 * Runs once when the server process starts: opening the studio applies migrations and marks
 * documents that a previous process left `generating` as `interrupted`, before any request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getStudio, INTERRUPTED_MESSAGE } = await import("./lib/studio");
  const studio = await getStudio();
  const shutdown = async (signal: NodeJS.Signals) => {
    await studio.registry.interruptAll(INTERRUPTED_MESSAGE).catch(() => {});
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
