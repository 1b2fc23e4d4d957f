import { describe, expect, it } from "vitest";
import { accessCookieValue } from "@/lib/http/access";
import { useStudioHarness } from "../support/studio-harness";

const TOKEN = "private-reads-token";
const h = useStudioHarness({ ACCESS_TOKEN: TOKEN, PRIVATE_READS: "1" });
const bearer = { authorization: `Bearer ${TOKEN}` };
const cookie = { cookie: `studio_access=${accessCookieValue(TOKEN)}` };

type Handler = Parameters<typeof h.call>[0];

async function finishedDocument(): Promise<{ id: string; editToken: string }> {
  h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
  const response = await h.create({ topic: `Private ${Math.random()}`, fresh: true }, bearer);
  expect(response.status).toBe(201);
  const body = (await response.json()) as { id: string; editToken: string };
  await h.studio.registry.get(body.id)?.done;
  return body;
}

async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
}

describe("ACCESS_TOKEN with PRIVATE_READS: every document request needs the token", () => {
  it("refuses reads without it: JSON, stream, download", async () => {
    const { id } = await finishedDocument();
    await expectUnauthorized(await h.get(id));
    await expectUnauthorized(await h.stream(id));
    await expectUnauthorized(await h.markdown(id));
    expect((await h.get(id, bearer)).status).toBe(200);
    const download = await h.call((await import("@/app/api/documents/[id]/markdown/route")).GET as Handler, `/api/documents/${id}/markdown`, { headers: cookie }, { id });
    expect(download.status).toBe(200);
    expect(await download.text()).toMatch(/^# /);
  });

  it("refuses continue and retry without it, even with the creator's edit token", async () => {
    const { id, editToken } = await finishedDocument();
    for (const action of ["continue", "retry"] as const) {
      await expectUnauthorized(await h.action(id, action, { "x-edit-token": "" }));
      await expectUnauthorized(await h.action(id, action, { "x-edit-token": editToken }));
    }
    expect(h.fake.requests).toHaveLength(1);
    expect((await h.action(id, "retry", bearer)).status).toBe(202);
    await h.studio.registry.get(id)?.done;
  });

  it("lets a token holder delete a document", async () => {
    const { id } = await finishedDocument();
    const route = (await import("@/app/api/documents/[id]/route")).DELETE as Handler;
    await expectUnauthorized(await h.call(route, `/api/documents/${id}`, { method: "DELETE" }, { id }));
    expect((await h.call(route, `/api/documents/${id}`, { method: "DELETE", headers: bearer }, { id })).status).toBe(204);
    expect((await h.get(id, bearer)).status).toBe(404);
  });
});
