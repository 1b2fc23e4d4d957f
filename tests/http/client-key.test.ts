import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientIdentity } from "@/lib/http/client-key";

/** The key `npm start`'s front server keeps in this process (scripts/front-server.mjs). */
const SIGNING_KEY = Symbol.for("design-doc-studio.client-signing-key");
const slots = globalThis as Record<symbol, unknown>;
const key = Buffer.from("0123456789abcdef0123456789abcdef");
const sign = (address: string, with_ = key) => createHmac("sha256", with_).update(address).digest("base64url");
const request = (headers: Record<string, string>) => new Request("http://studio.test/api/documents", { headers });
const direct = { trustProxy: false };
const proxied = { trustProxy: true };

describe("clientIdentity", () => {
  let saved: unknown;
  beforeEach(() => {
    saved = slots[SIGNING_KEY];
    slots[SIGNING_KEY] = key;
  });
  afterEach(() => {
    slots[SIGNING_KEY] = saved;
  });

  it("is the signed peer address the front server wrote", () => {
    const headers = { "x-studio-client-ip": "203.0.113.9", "x-studio-client-signature": sign("203.0.113.9") };
    expect(clientIdentity(request(headers), direct)).toEqual({ key: "ip:203.0.113.9", verified: true });
  });

  it("ignores an address whose signature is missing, forged, truncated or made with another key", () => {
    const shared = { key: "shared:unverified", verified: false };
    const address = "203.0.113.9";
    expect(clientIdentity(request({ "x-studio-client-ip": address }), direct)).toEqual(shared);
    expect(clientIdentity(request({ "x-studio-client-ip": address, "x-studio-client-signature": sign("198.51.100.1") }), direct)).toEqual(shared);
    expect(clientIdentity(request({ "x-studio-client-ip": address, "x-studio-client-signature": sign(address).slice(0, 20) }), direct)).toEqual(shared);
    expect(clientIdentity(request({ "x-studio-client-ip": address, "x-studio-client-signature": sign(address, Buffer.from("other")) }), direct)).toEqual(shared);
    expect(clientIdentity(request({ "x-studio-client-signature": sign(address) }), direct)).toEqual(shared);
  });

  it("trusts nobody's signature when this process has no key (plain `next start`)", () => {
    slots[SIGNING_KEY] = "not a buffer";
    const headers = { "x-studio-client-ip": "203.0.113.9", "x-studio-client-signature": sign("203.0.113.9") };
    expect(clientIdentity(request(headers), direct)).toEqual({ key: "shared:unverified", verified: false });
  });

  it("with TRUST_PROXY=1 takes the last X-Forwarded-For entry, the one the proxy appended", () => {
    expect(clientIdentity(request({ "x-forwarded-for": "6.6.6.6, 203.0.113.9 , " }), proxied)).toEqual({ key: "ip:203.0.113.9", verified: true });
    expect(clientIdentity(request({ "x-forwarded-for": "6.6.6.6" }), direct)).toEqual({ key: "shared:unverified", verified: false });
  });

  it("falls back to the signed address when a trusted proxy sent no X-Forwarded-For", () => {
    const signed = { "x-studio-client-ip": "203.0.113.9", "x-studio-client-signature": sign("203.0.113.9") };
    expect(clientIdentity(request({ ...signed, "x-forwarded-for": " , " }), proxied)).toEqual({ key: "ip:203.0.113.9", verified: true });
    expect(clientIdentity(request({}), proxied)).toEqual({ key: "shared:unverified", verified: false });
  });
});
