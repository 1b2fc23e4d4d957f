import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests run the production build (`npm run build` first) in Debian's Chromium.
 * Two app servers: one wired to the project's fake OpenAI-compatible model server, one with no
 * provider at all (demo mode). Tests share the fake server's scenario, so they run one at a time.
 */
// E2E_PORT_BASE moves every port at once, so two checkouts can run their suites side by side.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3310);
export const E2E = {
  fakeModelPort: portBase + 1000,
  appPort: portBase,
  demoPort: portBase + 1,
  /** Free ports for specs that start servers of their own (restart). */
  extraPort: portBase + 2,
};

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const runDir = "test-results/e2e-run";

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  outputDir: "test-results/playwright",
  use: {
    browserName: "chromium",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "provider", testIgnore: /demo\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${E2E.appPort}` } },
    { name: "demo", testMatch: /demo\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${E2E.demoPort}` } },
  ],
  webServer: [
    {
      command: `node node_modules/tsx/dist/cli.mjs tests/support/fake-openai/cli.ts --port ${E2E.fakeModelPort}`,
      url: `http://127.0.0.1:${E2E.fakeModelPort}/__control/health`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `rm -rf ${runDir}/app && node scripts/start.mjs`,
      url: `http://127.0.0.1:${E2E.appPort}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        PORT: String(E2E.appPort),
        OPENAI_BASE_URL: `http://127.0.0.1:${E2E.fakeModelPort}/v1`,
        OPENAI_MODEL: "fake-model",
        OPENAI_MODELS: "fake-model,fake-model-mini",
        DATABASE_URL: `file:./${runDir}/app/studio.db`,
        IDLE_TIMEOUT_MS: "3000",
        FIRST_TOKEN_TIMEOUT_MS: "5000",
        RETRY_BASE_DELAY_MS: "50",
        RATE_LIMIT_PER_HOUR: "500",
        REDIS_URL: "",
      },
    },
    {
      command: `rm -rf ${runDir}/demo && node scripts/start.mjs`,
      url: `http://127.0.0.1:${E2E.demoPort}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        PORT: String(E2E.demoPort),
        OPENAI_BASE_URL: "",
        OPENAI_API_KEY: "",
        OPENAI_MODEL: "",
        DATABASE_URL: `file:./${runDir}/demo/studio.db`,
        DEMO_STREAM_SECONDS: "8",
        REDIS_URL: "",
      },
    },
  ],
});
