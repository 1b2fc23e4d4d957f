import { describe, expect, it, vi } from "vitest";
import { useStudioHarness } from "../support/studio-harness";

const TOKEN = "edit-token-test-access-token";
const h = useStudioHarness({ ACCESS_TOKEN: TOKEN });

describe("with ACCESS_TOKEN, a document's creator keeps control without the access token", () => {
  it("stops its document with the edit token alone; a request with neither token is asked to sign in", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 20 });
    const created = await h.create({ topic: "Signed Out Creator 限流", fresh: true }, { authorization: `Bearer ${TOKEN}` });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await vi.waitFor(() => expect(h.studio.registry.get(id)?.text.length).toBeGreaterThan(0));

    // The creator's browser signed out: it still holds the edit token it was given.
    const anonymous = await h.action(id, "cancel", { "x-edit-token": "" });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect(h.studio.registry.get(id)).toBeDefined();

    const stopped = await h.action(id, "cancel");
    expect(stopped.status).toBe(200);
    expect(((await stopped.json()) as { status: string }).status).toBe("cancelled");
  });
});
