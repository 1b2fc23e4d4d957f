import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { startAppServer } from "../tests/support/app-server";
import { followStream } from "../tests/support/follow-stream";
import { fakeModel, fixture, FIXTURE_FILE, uniqueTopic } from "./support";

const PORT = E2E.extraPort;
const DIRECTORY = "test-results/e2e-run/restart";
const DATABASE = `${DIRECTORY}/studio.db`;

/** One instance on SQLite, no Redis: the embedded default. */
const startServer = (autoResume: "0" | "1") =>
  startAppServer({
    port: PORT,
    env: {
      OPENAI_BASE_URL: `http://127.0.0.1:${E2E.fakeModelPort}/v1`,
      OPENAI_MODEL: "fake-model",
      DATABASE_URL: `file:./${DATABASE}`,
      CHECKPOINT_INTERVAL_MS: "500",
      AUTO_RESUME: autoResume,
      REDIS_URL: "",
    },
  });

async function getDocument(id: string) {
  const response = await fetch(`http://127.0.0.1:${PORT}/api/documents/${id}`);
  return (await response.json()) as { status: string; markdown: string; error: string | null };
}

/** Starts a generation and SIGKILLs the server mid-stream; returns the document and the text stored a second before. */
async function killMidGeneration(autoResume: "0" | "1") {
  rmSync(DIRECTORY, { recursive: true, force: true });
  await fakeModel.reset();
  await fakeModel.setScenario({ documentFile: FIXTURE_FILE, chunkSize: 10, delayMs: 10 });
  const server = await startServer(autoResume);
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
    return { id, editToken, oneSecondBefore };
  } finally {
    await server.stop("SIGKILL");
  }
}

test("AUTO_RESUME=1 (default): after SIGKILL the restarted server finishes the document by itself", async () => {
  const { id, oneSecondBefore } = await killMidGeneration("1");
  await fakeModel.setScenario({ chunkSize: 400, delayMs: 5 });
  const server = await startServer("1");
  try {
    // Nobody presses Continue: a reader attached after the restart sees the whole document.
    const followed = await followStream(`${server.url}/api/documents/${id}/stream`, { deadlineMs: 60_000 });
    expect(followed.status).toBe("complete");
    expect(followed.text).toBe(fixture());
    const stored = await getDocument(id);
    expect(stored.status).toBe("complete");
    expect(stored.markdown).toBe(fixture());
    // The resumed request continued from the checkpoint, not from scratch.
    const requests = await fakeModel.requests();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.isContinuation).toBe(true);
    expect(requests[1]!.continuationChars).toBeGreaterThanOrEqual(oneSecondBefore.length);
  } finally {
    await server.stop("SIGKILL");
  }
});

test("AUTO_RESUME=0: the restarted server has the checkpointed text as `interrupted`, and Continue completes it", async () => {
  const { id, editToken, oneSecondBefore } = await killMidGeneration("0");
  const server = await startServer("0");
  try {
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
