// `npm start`: builds once if there is no production build yet, then serves the app.
// A small Node server in front of Next.js (scripts/front-server.mjs) records the TCP peer address
// in a signed header that clients cannot forge (see lib/http/client-key.ts), which the per-client
// rate limit relies on, and gives slow clients 30 s instead of Node's 300 s.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createFrontServer, signingKey } from "./front-server.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

if (!existsSync(path.join(root, ".next", "BUILD_ID")) || process.argv.includes("--build")) {
  console.log("No production build found: running `next build` first (about a minute)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The signing key exists before Next.js loads the app, in this process only.
signingKey();
const { default: next } = await import("next");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
await studioStarted();

const server = createFrontServer(handle);
server.listen(port, hostname, () => {
  console.log(`Design Doc Studio ready on http://${hostname}:${port}`);
});

/**
 * The studio's start-up (lib/server-startup.ts: configuration, database opened and migrated) runs
 * in Next.js's instrumentation hook, which Next.js starts during prepare() but does not wait for.
 * Waiting for it here means "ready" is only printed by a server that can serve; a bad
 * configuration exits non-zero first, with its reason.
 */
async function studioStarted() {
  const key = Symbol.for("design-doc-studio.startup");
  const deadline = Date.now() + 120_000;
  while (!globalThis[key]) {
    if (Date.now() > deadline) {
      console.warn("The studio's start-up did not begin within 120 s; serving anyway.");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await globalThis[key];
}
