import { describe, expect, it, vi } from "vitest";
import { deleteExpiredDocuments } from "@/lib/documents/retention";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness();

type Handler = Parameters<typeof h.call>[0];
const documentRoute = async () => (await import("@/app/api/documents/[id]/route")).DELETE as Handler;

async function createWithToken(topic: string, delayMs = 20) {
  h.fake.setScenario({ chunkSize: 10, delayMs });
  const response = await h.create({ topic, fresh: true });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { id: string; editToken: string };
  expect(body.editToken).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  return body;
}

const edit = (token: string) => ({ "x-edit-token": token });
/** A reader with the link: sends no edit token (the harness would send the creator's). */
const stranger = { "x-edit-token": "" };
const remove = async (id: string, headers: Record<string, string> = {}) => h.call(await documentRoute(), `/api/documents/${id}`, { method: "DELETE", headers }, { id });

async function expectForbidden(response: Response) {
  expect(response.status).toBe(403);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("forbidden");
  expect(body.error.message).toMatch(/created/);
}

describe("without ACCESS_TOKEN only a document's creator may change it", () => {
  it("refuses stop, continue, retry and delete without the creator's edit token; anyone may still read", async () => {
    const { id, editToken } = await createWithToken("Creator Only");
    await vi.waitFor(() => expect(h.studio.registry.get(id)?.text.length).toBeGreaterThan(0));
    await expectForbidden(await h.action(id, "cancel", stranger));
    await expectForbidden(await h.action(id, "cancel", edit("not-the-token-000000000")));
    await expectForbidden(await remove(id));
    expect(h.studio.registry.get(id)).toBeDefined();
    expect((await h.get(id)).status).toBe(200);
    expect((await h.markdown(id)).status).toBe(200);

    const stopped = await h.action(id, "cancel", edit(editToken));
    expect(stopped.status).toBe(200);
    const partial = ((await stopped.json()) as { markdown: string }).markdown;
    expect(partial.length).toBeGreaterThan(0);

    // Today anyone could wipe it with Retry: no more.
    await expectForbidden(await h.action(id, "retry", stranger));
    await expectForbidden(await h.action(id, "continue", stranger));
    expect((await h.getJson(id)).markdown).toBe(partial);
    expect(h.fake.requests).toHaveLength(1);

    expect((await h.action(id, "continue", edit(editToken))).status).toBe(202);
    await h.waitUntilFinished(id);
    expect((await h.action(id, "retry", edit(editToken))).status).toBe(202);
    await h.waitUntilFinished(id);
  });

  it("refuses a repair by hand (one section, or all) without the creator's edit token, like Continue and Retry", async () => {
    const first = draft(REQUEST_DEDUPLICATION, "s7-deadlocks-timeouts");
    const topic = `Creator Repairs ${Date.now().toString(36)}`;
    h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: REQUEST_DEDUPLICATION }, chunkSize: 400, delayMs: 1 });
    const response = await h.create({ topic, fresh: true });
    expect(response.status).toBe(201);
    const { id, editToken } = (await response.json()) as { id: string; editToken: string };
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", version: 1 });

    await expectForbidden(await h.repairSection(id, 7, stranger));
    await expectForbidden(await h.repairSection(id, 7, edit("not-the-token-000000000")));
    await expectForbidden(await h.action(id, "repair", stranger));
    expect(h.fake.requests.filter((request) => request.repair)).toHaveLength(0);
    expect(await h.getJson(id)).toMatchObject({ status: "complete", version: 1, repair: null });

    expect((await h.repairSection(id, 7, edit(editToken))).status).toBe(202);
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", version: 2, markdown: REQUEST_DEDUPLICATION });
  });

  it("DELETE removes the document (stopping it if it runs): then 404 everywhere", async () => {
    const { id, editToken } = await createWithToken("Deleted While Running");
    await vi.waitFor(() => expect(h.studio.registry.get(id)?.text.length).toBeGreaterThan(0));
    const deleted = await remove(id, edit(editToken));
    expect(deleted.status).toBe(204);
    expect(h.studio.registry.get(id)).toBeUndefined();
    expect((await h.get(id)).status).toBe(404);
    expect((await h.markdown(id)).status).toBe(404);
    expect((await h.stream(id)).status).toBe(404);
    expect((await remove(id, edit(editToken))).status).toBe(404);
    await h.fake.waitFor((requests) => requests[0]?.closedByClient === true, 2_000);
  });
});

describe("RETENTION_DAYS", () => {
  it("deletes finished documents not updated within the period, and nothing else", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const old = await createWithToken("Retention Old", 0);
    const recent = await createWithToken("Retention Recent", 0);
    await h.waitUntilFinished(old.id);
    await h.waitUntilFinished(recent.id);
    await h.database.query(`update documents set updated_at = '${new Date(Date.now() - 31 * 86_400_000).toISOString()}' where id = '${old.id}'`);
    h.studio.config.retentionDays = 30;
    try {
      expect(await deleteExpiredDocuments(h.studio)).toBeGreaterThanOrEqual(1);
    } finally {
      h.studio.config.retentionDays = undefined;
    }
    expect((await h.get(old.id)).status).toBe(404);
    expect((await h.get(recent.id)).status).toBe(200);
    // Without RETENTION_DAYS nothing is deleted.
    expect(await deleteExpiredDocuments(h.studio)).toBe(0);
  });
});
