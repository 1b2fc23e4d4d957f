import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests run the production build (`npm run build` first) in Debian's Chromium.
 * Three app servers: one wired to the project's fake OpenAI-compatible model server, one with no
 * provider at all (demo mode), and one like the first but private (ACCESS_TOKEN and PRIVATE_READS).
 * Tests share the fake server's scenario, so they run one at a time.
 */
// E2E_PORT_BASE moves every port at once, so two checkouts can run their suites side by side.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3310);
/** Ports the Fetch standard blocks (Node's fetch answers "bad port"): a base that lands one of ours there fails every test. */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113,
  115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556,
  563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667,
  6668, 6669, 6679, 6697, 10080,
]);
const runDir = "test-results/e2e-run";
export const E2E = {
  fakeModelPort: portBase + 1000,
  appPort: portBase,
  demoPort: portBase + 1,
  /** Free ports for specs that start servers of their own (restart). */
  extraPort: portBase + 2,
  appApiKey: "sk-e2e-fake-key-0123456789abcdef",
  /** ACCESS_TOKEN and PRIVATE_READS set: sign-in, private reads, cross-site forgery. */
  privatePort: portBase + 3,
  privateAccessToken: "e2e-private-access-token",
  privateDatabase: `${runDir}/private/studio.db`,
};

const blocked = [E2E.fakeModelPort, E2E.appPort, E2E.demoPort, E2E.extraPort, E2E.privatePort].filter((port) => FETCH_BLOCKED_PORTS.has(port));
if (blocked.length > 0) throw new Error(`E2E_PORT_BASE=${portBase} puts port ${blocked.join(", ")} on the Fetch standard's blocked list; choose another base`);

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
    { name: "provider", testIgnore: /(demo|private)\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${E2E.appPort}` } },
    { name: "demo", testMatch: /demo\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${E2E.demoPort}` } },
    { name: "private", testMatch: /private\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${E2E.privatePort}` } },
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
        // Sent to the fake model as a Bearer header; it must never show up on a page (hardening.spec.ts).
        OPENAI_API_KEY: E2E.appApiKey,
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
    {
      command: `rm -rf ${runDir}/private && node scripts/start.mjs`,
      url: `http://127.0.0.1:${E2E.privatePort}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: {
        PORT: String(E2E.privatePort),
        OPENAI_BASE_URL: `http://127.0.0.1:${E2E.fakeModelPort}/v1`,
        OPENAI_MODEL: "fake-model",
        DATABASE_URL: `file:./${E2E.privateDatabase}`,
        ACCESS_TOKEN: E2E.privateAccessToken,
        PRIVATE_READS: "1",
        IDLE_TIMEOUT_MS: "3000",
        FIRST_TOKEN_TIMEOUT_MS: "5000",
        RATE_LIMIT_PER_HOUR: "500",
      },
    },
  ],
});
