import { describe, expect, it, vi } from "vitest";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness();

const alice = { "x-studio-client-ip": "203.0.113.10" };
const bob = { "x-studio-client-ip": "198.51.100.20" };
/** What plain `next start` sees: an address nobody signed. */
const unverified = { "x-studio-client-ip": "192.0.2.99", "x-studio-client-signature": "" };

type Creation = { id: string; coalesced: boolean; alreadyGenerated: boolean; editToken?: string };
async function create(topic: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) {
  const response = await h.create({ topic, ...extra }, headers);
  return { status: response.status, body: (await response.json()) as Creation };
}

describe("coalescing and \"already generated\" never hand one client another's document (S5)", () => {
  it("does not give a finished document's id to a stranger who types the same topic", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const mine = await create("Circuit Breaker Scope", alice);
    expect(mine.status).toBe(201);
    await h.waitUntilFinished(mine.body.id);

    const stranger = await create("  CIRCUIT   breaker scope ", bob);
    expect(stranger.status).toBe(201);
    expect(stranger.body.id).not.toBe(mine.body.id);
    expect(stranger.body.alreadyGenerated).toBe(false);
    await h.waitUntilFinished(stranger.body.id);

    // The same client is still offered its own document.
    const again = await create("circuit breaker SCOPE", alice);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: mine.body.id, alreadyGenerated: true });
    expect(again.body.editToken).toBeUndefined();
  });

  it("does not attach a stranger to another client's running generation; the same client shares it", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 10 });
    const mine = await create("Running Scope", alice, { fresh: true });
    expect(mine.status).toBe(201);
    const stranger = await create("Running Scope", bob, { fresh: true });
    expect(stranger.status).toBe(201);
    expect(stranger.body.id).not.toBe(mine.body.id);
    const again = await create("Running Scope", alice, { fresh: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: mine.body.id, coalesced: true });
    await h.waitUntilFinished(mine.body.id);
    await h.waitUntilFinished(stranger.body.id);
    expect(h.fake.requests).toHaveLength(2);
  });

  it("shares one upstream request among identical requests the same client sends at once", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 10 });
    const results = await Promise.all([1, 2, 3].map(() => create("Concurrent Scope", alice, { fresh: true })));
    expect(results.map((result) => result.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((result) => result.body.id)).size).toBe(1);
    await h.waitUntilFinished(results[0]!.body.id);
    expect(h.fake.requests).toHaveLength(1);
  });

  it("coalesces nothing across requests when clients cannot be told apart (plain next start)", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const first = await create("Unverified Scope", unverified);
    expect(first.status).toBe(201);
    await h.waitUntilFinished(first.body.id);
    const second = await create("Unverified Scope", unverified);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    h.fake.setScenario({ chunkSize: 10, delayMs: 10 });
    const together = await Promise.all([create("Unverified Together", unverified), create("Unverified Together", unverified)]);
    expect(together.map((result) => result.status)).toEqual([201, 201]);
    expect(together[0]!.body.id).not.toBe(together[1]!.body.id);
  });
  it("does not attach a request to a generation that finished while the ledger still listed it", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const first = await create("Finished Race Scope", alice, { fresh: true });
    expect(first.status).toBe(201);
    await h.waitUntilFinished(first.body.id);
    // On another instance the ledger forgets a job a Redis round trip after its final state is stored.
    const ledger = vi.spyOn(h.studio.admission, "runningDocumentId").mockResolvedValue(first.body.id);
    try {
      const second = await create("Finished Race Scope", alice, { fresh: true });
      expect(ledger).toHaveBeenCalled();
      expect(second.status).toBe(201);
      expect(second.body.id).not.toBe(first.body.id);
      expect(second.body.coalesced).toBe(false);
      await h.waitUntilFinished(second.body.id);
    } finally {
      ledger.mockRestore();
    }
  });
});
