import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { startAppServer } from "../tests/support/app-server";
import { makeDatabaseReadOnly } from "../tests/support/read-only-database";
import { expectStatus, fakeModel, startFromHome, uniqueTopic } from "./support";

test("a provider error quoting the API key is shown on the permalink without it", async ({ page }) => {
  await fakeModel.reset();
  await fakeModel.setScenario({ failBeforeStream: 5, failStatus: 401, failMessage: "Incorrect API key provided: {authorization}. Find your key in the dashboard." });
  const id = await startFromHome(page, uniqueTopic("Leaky Provider"));
  await expectStatus(page, "failed");
  await expect(page.getByText(/Incorrect API key provided: Bearer \[redacted\]/).first()).toBeVisible();
  expect(await page.content()).not.toContain(E2E.appApiKey);
  // A fresh server render of the permalink, and the API, neither.
  await page.reload();
  await expectStatus(page, "failed");
  expect(await page.content()).not.toContain(E2E.appApiKey);
  expect(await (await page.request.get(`/api/documents/${id}`)).text()).not.toContain(E2E.appApiKey);
  const requests = await fakeModel.requests();
  expect(requests[0]?.status).toBe(401);
});

/** Paths with percent-encoding that does not decode: they used to answer a plain-text 500. */
const UNDECODABLE = [
  "/d/%E0%A4%A",
  "/d/%",
  "/d/%ZZ",
  "/d/%C3%28",
  "/d/abc%ED%A0%80",
  "/examples/%E0%A4%A",
  "/examples/%FF/markdown",
  "/signin/%E0",
  "/%",
  "/%E0%A4%A",
  "/api/documents/%E0%A4%A",
  "/api/documents/%/stream",
  "/api/documents/%C0%AF/markdown",
  "/api/documents/%E0%A4%A/cancel",
  "/api/documents/%FE%FF/continue",
  "/api/documents/%80/retry",
];

test.describe("undecodable paths", () => {
  for (const path of UNDECODABLE) {
    test(`${path} answers 400, not 500`, async ({ request }) => {
      const method = /\/(cancel|continue|retry)$/.test(path) ? "post" : "get";
      const response = await request[method](path, { maxRedirects: 0 });
      expect(response.status()).toBe(400);
      if (path.startsWith("/api/")) {
        expect(response.headers()["content-type"]).toMatch(/^application\/json/);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_path");
      } else {
        expect(response.headers()["content-type"]).toMatch(/^text\/html/);
        expect(await response.text()).toContain("Not found");
      }
    });
  }
});

const FAIL_DIR = path.resolve("test-results/e2e-run/fail-fast");

/** Starts `npm start`'s script with `env` and collects what it prints until it exits (or says ready). */
function startWith(env: Record<string, string>, options: { uid?: number } = {}): Promise<{ code: number | null; output: string; ready: boolean }> {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ACCESS_TOKEN: "", PRIVATE_READS: "", ...env, PORT: String(E2E.extraPort) },
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  let output = "";
  const collect = (data: Buffer) => (output += data.toString());
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ready: /ready on/.test(output) });
    });
  });
}

test.describe("a bad configuration stops npm start before ready, saying what and why", () => {
  test.beforeAll(() => {
    rmSync(FAIL_DIR, { recursive: true, force: true });
    mkdirSync(path.join(FAIL_DIR, "a-directory.db"), { recursive: true });
    writeFileSync(path.join(FAIL_DIR, "notes.db"), "Meeting notes, not a database. ".repeat(300));
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ["a directory", { DATABASE_URL: `file:${FAIL_DIR}/a-directory.db` }, /a-directory\.db\): it is a directory/],
    ["a file that is not a database", { DATABASE_URL: `file:${FAIL_DIR}/notes.db` }, /notes\.db\): the file is not a SQLite database/],
    ["mysql://", { DATABASE_URL: "mysql://root:my-sql-pw@db.example/studio" }, /unsupported scheme "mysql:"/],
    ["an unreachable PostgreSQL", { DATABASE_URL: "postgres://studio:pg-pw-123@127.0.0.1:1/studio" }, /postgres:\/\/\[redacted\]@127\.0\.0\.1:1\/studio\): the server is unreachable/],
    ["PRIVATE_READS without ACCESS_TOKEN", { DATABASE_URL: `file:${FAIL_DIR}/ok.db`, PRIVATE_READS: "1" }, /PRIVATE_READS=1 needs ACCESS_TOKEN/],
    ["OPENAI_BASE_URL with credentials", { DATABASE_URL: `file:${FAIL_DIR}/ok.db`, OPENAI_BASE_URL: "http://user:base-url-pw@10.0.0.5/v1", OPENAI_MODEL: "m" }, /OPENAI_BASE_URL must not contain credentials.*OPENAI_API_KEY/],
  ];
  for (const [name, env, reason] of cases) {
    test(name, async () => {
      const result = await startWith(env);
      expect(result.code).toBe(1);
      expect(result.ready).toBe(false);
      expect(result.output).toMatch(reason);
      expect(result.output).not.toMatch(/my-sql-pw|pg-pw-123|base-url-pw/);
    });
  }

  test("a read-only database", async () => {
    const folder = path.join(FAIL_DIR, "read-only");
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, "studio.db");
    // Created and migrated by a first start, then the server runs without write access to it.
    const first = await startAppServer({ port: E2E.extraPort, env: { DATABASE_URL: `file:${file}`, OPENAI_BASE_URL: "", ACCESS_TOKEN: "", PRIVATE_READS: "" } });
    await first.stop();
    const readOnly = makeDatabaseReadOnly(file);
    try {
      const result = await startWith({ DATABASE_URL: `file:${file}` }, { uid: readOnly.uid });
      expect(result.code).toBe(1);
      expect(result.ready).toBe(false);
      expect(result.output).toContain(file);
      expect(result.output).toMatch(/read-only/);
    } finally {
      readOnly.restore();
    }
  });
});
