// `npm test`: every check CI runs, in order, stopping at the first failure:
// lint, typecheck, unit + integration tests (vitest), production build, end-to-end tests (Chromium).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const steps = [
  ["lint", ["node_modules/eslint/bin/eslint.js", "."]],
  ["typecheck", ["node_modules/typescript/bin/tsc", "--noEmit"]],
  ["unit and integration tests", ["node_modules/vitest/vitest.mjs", "run"]],
  ["production build", ["node_modules/next/dist/bin/next", "build"]],
  ["end-to-end tests", ["node_modules/@playwright/test/cli.js", "test"]],
];

if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}

for (const [name, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${Math.round((Date.now() - started) / 1000)} s)`);
}
