import { describe, expect, it } from "vitest";
import { useStudioHarness } from "../support/studio-harness";

const TOKEN = "scope-test-token";
const h = useStudioHarness({ ACCESS_TOKEN: TOKEN });

describe("with ACCESS_TOKEN, signed-in users are the scope of coalescing", () => {
  it("attaches a token holder at another address to the running generation, and offers the finished one", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 5 });
    const first = await h.create({ topic: "Signed In Scope", fresh: true }, { authorization: `Bearer ${TOKEN}`, "x-studio-client-ip": "203.0.113.1" });
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const second = await h.create({ topic: "signed in scope", fresh: true }, { authorization: `Bearer ${TOKEN}`, "x-studio-client-ip": "198.51.100.2" });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ id, coalesced: true });
    await h.waitUntilFinished(id);
    const later = await h.create({ topic: "Signed In Scope" }, { authorization: `Bearer ${TOKEN}`, "x-studio-client-ip": "192.0.2.3" });
    expect(await later.json()).toMatchObject({ id, alreadyGenerated: true });
    expect(h.fake.requests).toHaveLength(1);
  });
});
