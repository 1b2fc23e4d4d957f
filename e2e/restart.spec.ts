import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { startAppServer } from "../tests/support/app-server";
import { fakeModel, fixture, FIXTURE_FILE, uniqueTopic } from "./support";

const PORT = E2E.extraPort;
const DATABASE = "test-results/e2e-run/restart/studio.db";

const startServer = () =>
  startAppServer({
    port: PORT,
    env: { OPENAI_BASE_URL: `http://127.0.0.1:${E2E.fakeModelPort}/v1`, OPENAI_MODEL: "fake-model", DATABASE_URL: `file:./${DATABASE}`, CHECKPOINT_INTERVAL_MS: "500" },
  });

async function getDocument(id: string) {
  const response = await fetch(`http://127.0.0.1:${PORT}/api/documents/${id}`);
  return (await response.json()) as { status: string; markdown: string; error: string | null };
}

test("SIGKILL mid-generation: the restarted server has the checkpointed text as `interrupted`, and Continue completes it", async () => {
  rmSync("test-results/e2e-run/restart", { recursive: true, force: true });
  await fakeModel.reset();
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 10, delayMs: 10 });
  let server = await startServer();
  try {
    const created = await fetch(`${server.url}/api/documents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ topic: uniqueTopic("Kill Nine") }),
    });
    expect(created.status).toBe(201);
    const { id, editToken } = (await created.json()) as { id: string; editToken: string };
    await fakeModel.waitFor((requests) => (requests[0]?.servedChars ?? 0) > 1500, 20_000);

    const oneSecondBefore = (await getDocument(id)).markdown;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await server.stop("SIGKILL");

    server = await startServer();
    const survivor = await getDocument(id);
    expect(survivor.status).toBe("interrupted");
    expect(survivor.error).toMatch(/Continue/);
    expect(survivor.markdown.length).toBeGreaterThanOrEqual(oneSecondBefore.length);
    expect(fixture().startsWith(survivor.markdown)).toBe(true);

    await fakeModel.setScenario({ chunkSize: 400, delayMs: 0 });
    // The creator's edit token survives the restart: it is stored (hashed) with the document.
    const continued = await fetch(`${server.url}/api/documents/${id}/continue`, { method: "POST", headers: { "x-edit-token": editToken } });
    expect(continued.status).toBe(202);
    await expect.poll(async () => (await getDocument(id)).status, { timeout: 30_000 }).toBe("complete");
    expect((await getDocument(id)).markdown).toBe(fixture());
  } finally {
    await server.stop("SIGKILL");
  }
});
