import { describe, expect, it } from "vitest";
import { accessCookieValue } from "@/lib/http/access";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness({ RATE_LIMIT_PER_HOUR: "3", MAX_CONCURRENT_GENERATIONS: "2", ACCESS_TOKEN: "s3cret-token" });

const bearer = { authorization: "Bearer s3cret-token" };

describe("access token", () => {
  it("is required to create documents, by bearer header or sign-in cookie", async () => {
    const anonymous = await h.create({ topic: "Gated Topic" }, { "x-studio-client-ip": "198.51.100.1" });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(/\/signin/);
    expect((await h.create({ topic: "Gated Topic" }, { authorization: "Bearer wrong", "x-studio-client-ip": "198.51.100.1" })).status).toBe(401);

    const withBearer = await h.create({ topic: "Gated Topic", fresh: true }, { ...bearer, "x-studio-client-ip": "198.51.100.1" });
    expect(withBearer.status).toBe(201);
    const { id } = (await withBearer.json()) as { id: string };
    expect((await h.action(id, "cancel", { "x-edit-token": "" })).status).toBe(401);
    expect((await h.action(id, "cancel", bearer)).status).toBe(200);

    const cookie = `studio_access=${accessCookieValue("s3cret-token")}`;
    const withCookie = await h.create({ topic: "Gated Topic Two", fresh: true }, { cookie, "x-studio-client-ip": "198.51.100.1" });
    expect(withCookie.status).toBe(201);

    // Reading stays public unless PRIVATE_READS is on.
    expect((await h.get(id)).status).toBe(200);
    h.studio.config.privateReads = true;
    try {
      expect((await h.get(id)).status).toBe(401);
      expect((await h.stream(id)).status).toBe(401);
      expect((await h.get(id, bearer)).status).toBe(200);
    } finally {
      h.studio.config.privateReads = false;
    }
  });
});

describe("access token for changing documents", () => {
  it("refuses continue and retry without the token (401) and restarts nothing; the token holder may", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const created = await h.create({ topic: "Gated Resume", fresh: true }, { ...bearer, "x-studio-client-ip": "198.51.100.5" });
    const { id } = (await created.json()) as { id: string };
    await h.studio.registry.get(id)?.done;
    const requests = h.fake.requests.length;
    for (const action of ["continue", "retry"] as const) {
      const refused = await h.action(id, action, { "x-edit-token": "" });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(h.studio.registry.get(id)).toBeUndefined();
    expect(h.fake.requests).toHaveLength(requests);
    expect((await h.action(id, "retry", { ...bearer, "x-edit-token": "" })).status).toBe(202);
  });
});

describe("rate limit and concurrency cap", () => {
  it("caps concurrent generations with 429 and Retry-After", async () => {
    h.fake.setScenario({ delayMs: 50 });
    const headers = { ...bearer, "x-studio-client-ip": "203.0.113.7" };
    expect((await h.create({ topic: "Concurrent One", fresh: true }, headers)).status).toBe(201);
    expect((await h.create({ topic: "Concurrent Two", fresh: true }, headers)).status).toBe(201);
    const third = await h.create({ topic: "Concurrent Three", fresh: true }, headers);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(/MAX_CONCURRENT_GENERATIONS/);
  });

  it("limits documents per client per hour with 429 and Retry-After; other clients are unaffected", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const client = { ...bearer, "x-studio-client-ip": "203.0.113.99" };
    for (const topic of ["Limit A", "Limit B", "Limit C"]) {
      const response = await h.create({ topic, fresh: true }, client);
      expect(response.status).toBe(201);
      await h.waitUntilFinished(((await response.json()) as { id: string }).id);
    }
    const fourth = await h.create({ topic: "Limit D", fresh: true }, client);
    expect(fourth.status).toBe(429);
    const retryAfter = Number(fourth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe("rate_limited");

    const other = await h.create({ topic: "Limit D", fresh: true }, { ...bearer, "x-studio-client-ip": "203.0.113.100" });
    expect(other.status).toBe(201);
  });

  it("counts a client behind TRUST_PROXY by its X-Forwarded-For address, however long", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const forwarded = { ...bearer, "x-forwarded-for": `198.51.100.1, ${"2001:db8:0:0:0:0:0:1-".repeat(12)}` };
    h.studio.config.trustProxy = true;
    try {
      for (const topic of ["Proxy A", "Proxy B", "Proxy C"]) {
        const response = await h.create({ topic, fresh: true }, forwarded);
        expect(response.status).toBe(201);
        await h.waitUntilFinished(((await response.json()) as { id: string }).id);
      }
      expect((await h.create({ topic: "Proxy D", fresh: true }, forwarded)).status).toBe(429);
    } finally {
      h.studio.config.trustProxy = false;
    }
  });
});
