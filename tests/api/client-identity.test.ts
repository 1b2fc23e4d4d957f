import { describe, expect, it } from "vitest";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness({ RATE_LIMIT_PER_HOUR: "2" });

let topics = 0;
async function create(headers: Record<string, string>): Promise<number> {
  topics += 1;
  const response = await h.create({ topic: `Identity ${topics}`, fresh: true }, headers);
  if (response.status === 201) await h.waitUntilFinished(((await response.json()) as { id: string }).id);
  return response.status;
}

describe("client identity for the rate limit (S4)", () => {
  it("ignores a client-chosen address without the front server's signature: forgers share one identity", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const statuses = [];
    for (const [index, signature] of ["forged", "", "AAAA", "forged-again"].entries()) {
      const headers: Record<string, string> = { "x-studio-client-ip": `198.51.100.${index + 10}`, "x-studio-client-signature": signature };
      statuses.push(await create(headers));
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
  });

  it("tells signed addresses apart: each client has its own allowance", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    // The harness signs x-studio-client-ip the way `npm start`'s front server does.
    expect([await create({ "x-studio-client-ip": "203.0.113.1" }), await create({ "x-studio-client-ip": "203.0.113.1" }), await create({ "x-studio-client-ip": "203.0.113.1" })]).toEqual([201, 201, 429]);
    expect(await create({ "x-studio-client-ip": "203.0.113.2" })).toBe(201);
  });

  it("with TRUST_PROXY=1 uses the last X-Forwarded-For entry (what the proxy saw), not the ones the client sent", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    h.studio.config.trustProxy = true;
    try {
      const via = (forwarded: string) => create({ "x-forwarded-for": forwarded, "x-studio-client-ip": "10.0.0.2" });
      // The client prepends whatever it likes; the proxy appends the address it saw.
      expect(await via("1.1.1.1, 192.0.2.77")).toBe(201);
      expect(await via("2.2.2.2, 192.0.2.77")).toBe(201);
      expect(await via("3.3.3.3,192.0.2.77")).toBe(429);
      expect(await via("192.0.2.77, 192.0.2.78")).toBe(201);
    } finally {
      h.studio.config.trustProxy = false;
    }
  });
});
