export async function register() {
  // Node-only start-up lives in its own module so the edge bundle never sees it.
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/server-startup");
}
