import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { deficientDraft, findDamage } from "../lib/examples/deficient-drafts";
import { E2E } from "../playwright.config";
import { startAppServer } from "../tests/support/app-server";
import { fakeModel, fixture, uniqueTopic } from "./support";

const PORT = E2E.extraPort;
const DIRECTORY = "test-results/e2e-run/repair-restart";
const DATABASE = `${DIRECTORY}/studio.db`;

const startServer = (autoResume: "0" | "1") =>
  startAppServer({
    port: PORT,
    env: {
      OPENAI_BASE_URL: `http://127.0.0.1:${E2E.fakeModelPort}/v1`,
      OPENAI_MODEL: "fake-model",
      DATABASE_URL: `file:./${DATABASE}`,
      CHECKPOINT_INTERVAL_MS: "300",
      AUTO_RESUME: autoResume,
    },
  });

interface Stored {
  status: string;
  markdown: string;
  version: number;
  error: string | null;
  repair: { status: string; rounds: { sections: { number: number; state: string }[] }[] } | null;
}

async function getDocument(id: string): Promise<Stored> {
  return (await (await fetch(`http://127.0.0.1:${PORT}/api/documents/${id}`)).json()) as Stored;
}

/** A document whose repair of section 7 is under way when its server is SIGKILLed (past a checkpoint of the replacement). */
async function killMidRepair(autoResume: "0" | "1") {
  rmSync(DIRECTORY, { recursive: true, force: true });
  const original = fixture();
  const first = deficientDraft(original, [findDamage("s7-deadlocks-timeouts")]);
  const topic = uniqueTopic("Kill Mid Repair");
  await fakeModel.reset();
  await fakeModel.setScenario({ documentsByTopic: { [topic]: first }, chunkSize: 2_000, delayMs: 2, repair: { source: original, chunkSize: 10, delayMs: 25 } });
  const server = await startServer(autoResume);
  try {
    const created = await fetch(`${server.url}/api/documents`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ topic }) });
    expect(created.status).toBe(201);
    const { id, editToken } = (await created.json()) as { id: string; editToken: string };
    await fakeModel.waitFor((requests) => requests.some((request) => request.repair?.section === 7 && request.servedChars > 400), 60_000);
    expect((await getDocument(id)).status).toBe("repairing");
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // past a checkpoint
    return { id, editToken, original, first };
  } finally {
    await server.stop("SIGKILL");
  }
}

/** Only the repair was resumed (not the first pass), continuing the replacement text it had checkpointed. */
function expectRepairResumed(after: { repair: { section: number } | null; isContinuation: boolean; prefixMismatch: boolean; continuationChars: number }[]) {
  expect(after.length).toBeGreaterThan(0);
  expect(after.every((request) => request.repair?.section === 7)).toBe(true);
  expect(after[0]?.isContinuation).toBe(true);
  expect(after[0]?.prefixMismatch).toBe(false);
  expect(after[0]?.continuationChars).toBeGreaterThan(300);
}

test("AUTO_RESUME=1 (default): after SIGKILL mid-repair the restarted server resumes the repair by itself, from its checkpointed text", async () => {
  const { id, original } = await killMidRepair("1");
  const before = (await fakeModel.requests()).length;
  await fakeModel.setScenario({ repair: { source: original, chunkSize: 400, delayMs: 1 } });
  const server = await startServer("1");
  try {
    await expect.poll(async () => (await getDocument(id)).status, { timeout: 60_000 }).toBe("complete");
    const done = await getDocument(id);
    expect(done.markdown).toBe(original);
    expect(done.version).toBe(2);
    expect(done.repair?.status).toBe("finished");
    expectRepairResumed((await fakeModel.requests()).slice(before));
  } finally {
    await server.stop("SIGKILL");
  }
});

test("AUTO_RESUME=0, SIGKILL mid-repair: the restarted server has it `interrupted`, and Continue resumes the repair (not the first pass) from its checkpointed text", async () => {
  const { id, editToken, original, first } = await killMidRepair("0");
  const before = (await fakeModel.requests()).length;
  const server = await startServer("0");
  try {
    const survivor = await getDocument(id);
    expect(survivor.status).toBe("interrupted");
    expect(survivor.error).toMatch(/Continue/);
    expect(survivor.markdown).toBe(first);
    expect(survivor.version).toBe(1);
    expect(survivor.repair?.status).toBe("running");
    expect(survivor.repair?.rounds[0]?.sections[0]).toMatchObject({ number: 7, state: "streaming" });

    await fakeModel.setScenario({ repair: { source: original, chunkSize: 400, delayMs: 1 } });
    // Only its creator (the edit token survives the restart) may resume it.
    expect((await fetch(`${server.url}/api/documents/${id}/continue`, { method: "POST" })).status).toBe(403);
    const continued = await fetch(`${server.url}/api/documents/${id}/continue`, { method: "POST", headers: { "x-edit-token": editToken } });
    expect(continued.status).toBe(202);
    expect(((await continued.json()) as Stored).status).toBe("repairing");
    await expect.poll(async () => (await getDocument(id)).status, { timeout: 60_000 }).toBe("complete");
    const done = await getDocument(id);
    expect(done.markdown).toBe(original);
    expect(done.version).toBe(2);
    expectRepairResumed((await fakeModel.requests()).slice(before));
  } finally {
    await server.stop("SIGKILL");
  }
});
