import { describe, expect, it, vi } from "vitest";
import { accessCookieValue } from "@/lib/http/access";
import { useStudioHarness } from "../support/studio-harness";

const TOKEN = "csrf-test-token";
const h = useStudioHarness({ ACCESS_TOKEN: TOKEN });

/** The harness's requests go to http://studio.test: that is this server's origin for these tests. */
const cookie = { cookie: `studio_access=${accessCookieValue(TOKEN)}` };
const bearer = { authorization: `Bearer ${TOKEN}` };

let created = 0;
async function createdId(headers: Record<string, string>): Promise<string> {
  created += 1;
  const response = await h.create({ topic: `Cross Origin Target ${created}`, fresh: true }, headers);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function expectRefused(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
}

describe("cookie-authenticated state changes from other origins (S2)", () => {
  it("refuses a create from another site, and from another port of the same host (same-site), with 403 and nothing spent", async () => {
    const before = await h.countDocuments();
    await expectRefused(await h.create({ topic: "Forged Create", fresh: true }, { ...cookie, origin: "http://evil.example", "sec-fetch-site": "cross-site" }), 403, "cross_origin_request");
    await expectRefused(await h.create({ topic: "Forged Create", fresh: true }, { ...cookie, origin: "http://studio.test:8080", "sec-fetch-site": "same-site" }), 403, "cross_origin_request");
    await expectRefused(await h.create({ topic: "Forged Create", fresh: true }, { ...cookie, origin: "null" }), 403, "cross_origin_request");
    // A browser that sends only Sec-Fetch-Site.
    await expectRefused(await h.create({ topic: "Forged Create", fresh: true }, { ...cookie, "sec-fetch-site": "same-site" }), 403, "cross_origin_request");
    expect(await h.countDocuments()).toBe(before);
    expect(h.fake.requests).toHaveLength(0);
  });

  it("refuses a cross-site form that cancels a document, which keeps generating", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 20 });
    const id = await createdId(bearer);
    const form = await h.action(id, "cancel", { ...cookie, origin: "http://studio.test:3001", "sec-fetch-site": "same-site", "content-type": "application/x-www-form-urlencoded" });
    await expectRefused(form, 403, "cross_origin_request");
    expect(h.studio.registry.get(id)).toBeDefined();
    for (const action of ["continue", "retry"] as const) {
      await expectRefused(await h.action(id, action, { ...cookie, origin: "http://evil.example" }), 403, "cross_origin_request");
    }
  });

  it("accepts the same origin, ALLOWED_ORIGINS, requests with neither header (curl) and Bearer requests from anywhere", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    await createdId({ ...cookie, origin: "http://studio.test", "sec-fetch-site": "same-origin" });
    await createdId({ ...cookie, "sec-fetch-site": "same-origin" });
    await createdId(cookie);
    await createdId({ ...bearer, origin: "http://evil.example", "sec-fetch-site": "cross-site" });
    h.studio.config.allowedOrigins = ["http://tools.example"];
    try {
      await createdId({ ...cookie, origin: "http://tools.example", "sec-fetch-site": "cross-site" });
    } finally {
      h.studio.config.allowedOrigins = [];
    }
  });

  it("compares with PUBLIC_URL when it is set, else the Host (X-Forwarded-Host only with TRUST_PROXY=1)", async () => {
    h.fake.setScenario({ delayMs: 0, chunkSize: 1000 });
    const config = h.studio.config;
    await createdId({ ...cookie, origin: "http://docs.example.org", host: "docs.example.org" });
    await expectRefused(await h.create({ topic: "Forwarded" }, { ...cookie, origin: "https://docs.example.org", host: "app.internal:3000", "x-forwarded-host": "docs.example.org", "x-forwarded-proto": "https" }), 403, "cross_origin_request");
    config.trustProxy = true;
    try {
      await createdId({ ...cookie, origin: "https://docs.example.org", host: "app.internal:3000", "x-forwarded-host": "docs.example.org", "x-forwarded-proto": "https" });
    } finally {
      config.trustProxy = false;
    }
    config.publicUrl = "https://studio.example.com";
    try {
      await createdId({ ...cookie, origin: "https://studio.example.com", host: "app.internal:3000" });
      await expectRefused(await h.create({ topic: "Public" }, { ...cookie, origin: "http://studio.test" }), 403, "cross_origin_request");
    } finally {
      config.publicUrl = undefined;
    }
  });
});

describe("bodies must be JSON (S2: a no-cors fetch cannot send application/json)", () => {
  it("answers 415 to a create without Content-Type or with text/plain, and stores nothing", async () => {
    const before = await h.countDocuments();
    const body = JSON.stringify({ topic: "No Cors Create", fresh: true });
    const untyped = await h.call((await import("@/app/api/documents/route")).POST as never, "/api/documents", {
      method: "POST",
      headers: bearer,
      body: new TextEncoder().encode(body),
    });
    await expectRefused(untyped, 415, "unsupported_media_type");
    await expectRefused(await h.create(body, { ...bearer, "content-type": "text/plain;charset=UTF-8" }), 415, "unsupported_media_type");
    await expectRefused(await h.create(body, { ...bearer, "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
    expect(await h.countDocuments()).toBe(before);
  });

  it("lets bodiless POSTs through without a type, but refuses a body that is not JSON on them", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 20 });
    const id = await createdId(bearer);
    await vi.waitFor(() => expect(h.studio.registry.get(id)?.text.length).toBeGreaterThan(0));
    await expectRefused(
      await h.call((await import("@/app/api/documents/[id]/cancel/route")).POST as never, `/api/documents/${id}/cancel`, { method: "POST", headers: { ...bearer, "content-type": "text/plain" }, body: "x" }, { id }),
      415,
      "unsupported_media_type",
    );
    expect(h.studio.registry.get(id)).toBeDefined();
    const stopped = await h.action(id, "cancel", bearer);
    expect(stopped.status).toBe(200);
    expect(((await stopped.json()) as { status: string }).status).toBe("cancelled");
  });
});
