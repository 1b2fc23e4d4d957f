import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startStudioHarness, type StudioHarness } from "../support/studio-harness";

vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "studio.test" }), cookies: async () => ({ get: () => undefined }) }));

let h: StudioHarness;
const TOKEN = "private-reads-token";

beforeAll(async () => {
  h = await startStudioHarness({ ACCESS_TOKEN: TOKEN, PRIVATE_READS: "1" });
});
afterAll(async () => {
  await h.close();
});

describe("link previews under PRIVATE_READS", () => {
  it("expose no title, description or image, and the image route needs the token", async () => {
    const created = await h.create({ topic: "Secret Rollout Plan", fresh: true }, { authorization: `Bearer ${TOKEN}` });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await h.studio.registry.get(id)?.done;
    const { generateMetadata } = await import("@/app/d/[id]/page");
    const metadata = await generateMetadata({ params: Promise.resolve({ id }) });
    expect(metadata).toEqual({ title: "Design Doc Studio" });

    const route = await import("@/app/api/documents/[id]/og-image/route");
    const image = (headers: Record<string, string>) =>
      route.GET(new Request(`http://studio.test/api/documents/${id}/og-image`, { headers }), { params: Promise.resolve({ id }) });
    expect((await image({})).status).toBe(401);
    expect((await image({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});
