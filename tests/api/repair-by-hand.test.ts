/**
 * Repair by hand (POST …/sections/{n}/repair, POST …/repair) with the automatic pass off
 * (REPAIR=off): the same engine, gated like Continue and Retry, and counted like a creation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import { useStudioHarness } from "../support/studio-harness";
import { draft, REQUEST_DEDUPLICATION } from "../repair/fixtures";

const h = useStudioHarness({ REPAIR: "off", RATE_LIMIT_PER_HOUR: "6", MAX_CONCURRENT_GENERATIONS: "1", ACCESS_TOKEN: "s3cret-token" });
const original = REQUEST_DEDUPLICATION;
const bearer = { authorization: "Bearer s3cret-token" };

beforeAll(async () => {
  await sharedTypecheckWorker().warm();
}, 120_000);
afterAll(async () => {
  await sharedTypecheckWorker().close();
});

async function deficientDocument(client: string) {
  const first = draft(original, "s7-deadlocks-timeouts", "s10-use-instead");
  const topic = `Request Deduplication by hand ${client} ${Date.now().toString(36)}`;
  h.fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original }, chunkSize: 400, delayMs: 1 });
  const response = await h.create({ topic, fresh: true }, { ...bearer, "x-studio-client-ip": client });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return { id, first, stored: await h.waitUntilFinished(id, 30_000) };
}

describe("repair by hand", () => {
  it("REPAIR=off: the first pass ends complete with its incomplete sections, and no repair request is made", async () => {
    const { stored, first } = await deficientDocument("198.51.100.1");
    expect(stored).toMatchObject({ status: "complete", version: 1, markdown: first, repair: null });
    expect(stored.sections?.filter((section) => section.state === "incomplete").map((section) => section.number)).toEqual([7, 10]);
    expect(h.fake.requests.filter((request) => request.repair)).toHaveLength(0);
  });

  it("repairs one section, then all: each a new version; refuses what cannot be repaired with a clear 4xx", async () => {
    const client = { ...bearer, "x-studio-client-ip": "198.51.100.2" };
    const { id } = await deficientDocument("198.51.100.2");
    // Gated like Continue and Retry: neither the access token nor an edit token is 401, someone else's edit token 403.
    expect((await h.repairSection(id, 7, { "x-edit-token": "" })).status).toBe(401);
    expect((await h.action(id, "repair", { "x-edit-token": "" })).status).toBe(401);
    expect((await h.repairSection(id, 7, { "x-edit-token": "not-the-token-000000000" })).status).toBe(403);
    expect(h.fake.requests.filter((request) => request.repair)).toHaveLength(0);
    const one = await h.repairSection(id, 7, client);
    expect(one.status).toBe(202);
    expect(await one.json()).toMatchObject({ status: "repairing", version: 1 });
    expect((await h.repairSection(id, 10, client)).status).toBe(409); // already repairing
    const afterOne = await h.waitUntilFinished(id, 30_000);
    expect(afterOne).toMatchObject({ status: "complete", version: 2 });
    expect(afterOne.repair).toMatchObject({ trigger: "manual", target: [7], status: "finished" });
    expect(afterOne.sections?.filter((section) => section.state !== "satisfied").map((section) => section.number)).toEqual([10]);
    expect(h.fake.requests.filter((request) => request.repair).map((request) => request.repair?.section)).toEqual([7]);

    for (const [n, status, code] of [
      [7, 409, "nothing_to_repair"],
      [0, 400, "invalid_section"],
      [13, 400, "invalid_section"],
      ["4x", 400, "invalid_section"],
    ] as const) {
      const refused = await h.repairSection(id, n, client);
      expect(refused.status).toBe(status);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(code);
    }

    const all = await h.action(id, "repair", client);
    expect(all.status).toBe(202);
    const done = await h.waitUntilFinished(id, 30_000);
    expect(done).toMatchObject({ status: "complete", version: 3, markdown: original, satisfied: 12 });
    expect((await h.versions(id)).map((version) => version.reason)).toEqual(["First pass", "Repair round 1: section 7", "Repair round 1: section 10"]);
    const nothing = await h.action(id, "repair", client);
    expect(nothing.status).toBe(409);
    expect(((await nothing.json()) as { error: { message: string } }).error.message).toMatch(/Every section is already satisfied/);
  });

  it("a manual repair counts against RATE_LIMIT_PER_HOUR like a creation", async () => {
    const ip = "198.51.100.3";
    const client = { ...bearer, "x-studio-client-ip": ip };
    const { id } = await deficientDocument(ip); // 1
    expect((await h.repairSection(id, 7, client)).status).toBe(202); // 2
    await h.waitUntilFinished(id, 30_000);
    expect((await h.repairSection(id, 10, client)).status).toBe(202); // 3
    await h.waitUntilFinished(id, 30_000);
    await deficientDocument(ip); // 4
    await deficientDocument(ip); // 5
    const second = await deficientDocument(ip); // 6
    const refused = await h.action(second.id, "repair", client);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/started 6 generations \(new documents and repairs\)/);
    const create = await h.create({ topic: `Another ${Date.now()}` }, client);
    expect(create.status).toBe(429);
  });

  it("a running repair counts against MAX_CONCURRENT_GENERATIONS like a generation", async () => {
    const client = { ...bearer, "x-studio-client-ip": "198.51.100.4" };
    const { id } = await deficientDocument("198.51.100.4");
    const other = await deficientDocument("198.51.100.4");
    h.fake.setScenario({ repair: { source: original, chunkSize: 8, delayMs: 30 } });
    expect((await h.repairSection(id, 7, client)).status).toBe(202);
    const refused = await h.repairSection(other.id, 7, client);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("too_many_generations");
    expect((await h.create({ topic: `Busy ${Date.now()}` }, client)).status).toBe(429);
    expect((await h.action(id, "cancel", client)).status).toBe(200);
    expect((await h.repairSection(other.id, 7, client)).status).toBe(202);
  });
});
