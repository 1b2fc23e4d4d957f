import { describe, expect, it } from "vitest";
import { useStudioHarness } from "../support/studio-harness";

// An access token and private reads: the health check stays public anyway.
const h = useStudioHarness({ INSTANCE_ID: "studio-test-7", ACCESS_TOKEN: "health-token", PRIVATE_READS: "1" });

const bearer = { authorization: "Bearer health-token" };

async function health() {
  const response = await h.health();
  return { status: response.status, cacheControl: response.headers.get("cache-control"), body: (await response.json()) as Record<string, unknown> };
}

async function start(topic: string): Promise<string> {
  const response = await h.create({ topic, fresh: true }, bearer);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function documentInstance(id: string): Promise<unknown> {
  const response = await h.get(id, bearer);
  expect(response.status).toBe(200);
  return ((await response.json()) as { instance: unknown }).instance;
}

describe("GET /api/health", () => {
  it("is public and reports the instance, a database that answers, Redis not configured, and no generations", async () => {
    expect(await health()).toEqual({
      status: 200,
      cacheControl: "no-store",
      body: { instance: "studio-test-7", database: "ok", redis: "not configured", activeGenerations: 0 },
    });
  });

  it("counts running generations without naming them; a document names the instance running it while it runs", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 8 });
    const ids = [await start("Health While Running"), await start("Health While Running Too")];
    const running = await health();
    expect(running.body).toEqual({ instance: "studio-test-7", database: "ok", redis: "not configured", activeGenerations: 2 });
    for (const id of ids) expect(JSON.stringify(running.body)).not.toContain(id);
    expect(await documentInstance(ids[0]!)).toBe("studio-test-7");

    expect((await h.action(ids[0]!, "cancel", bearer)).status).toBe(200);
    expect(await documentInstance(ids[0]!)).toBeNull();
    expect((await health()).body.activeGenerations).toBe(1);

    // Continue runs it again here: the instance is back, in the 202 answer too.
    const resumed = await h.action(ids[0]!, "continue", bearer);
    expect(resumed.status).toBe(202);
    expect(((await resumed.json()) as { instance: unknown }).instance).toBe("studio-test-7");
    expect(await documentInstance(ids[0]!)).toBe("studio-test-7");
    await Promise.all(ids.map((id) => h.studio.registry.get(id)?.done));
    expect(await documentInstance(ids[0]!)).toBeNull();
    expect((await health()).body.activeGenerations).toBe(0);
  });
});
