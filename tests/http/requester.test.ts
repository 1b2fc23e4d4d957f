import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accessCookieValue } from "@/lib/http/access";
import { requesterFor } from "@/lib/http/requester";

const SIGNING_KEY = Symbol.for("design-doc-studio.client-signing-key");
const slots = globalThis as Record<symbol, unknown>;
const request = (headers: Record<string, string>) => new Request("http://studio.test/api/documents", { headers });
const open = { accessToken: undefined, trustProxy: true };
const gated = { accessToken: "s3cret-token", trustProxy: true };

describe("requesterFor", () => {
  let saved: unknown;
  beforeEach(() => {
    saved = slots[SIGNING_KEY];
    delete slots[SIGNING_KEY];
  });
  afterEach(() => {
    slots[SIGNING_KEY] = saved;
  });

  it("without ACCESS_TOKEN, scopes a verified client to its address and an unverified one to nothing", () => {
    expect(requesterFor(request({ "x-forwarded-for": "203.0.113.9" }), open)).toEqual({ clientKey: "ip:203.0.113.9", scope: "ip:203.0.113.9", tokenHolder: false, editToken: null });
    expect(requesterFor(request({}), { ...open, trustProxy: false })).toEqual({ clientKey: "shared:unverified", scope: null, tokenHolder: false, editToken: null });
  });

  it("with ACCESS_TOKEN, every holder of the token (Bearer or cookie) shares one scope, and others have none", () => {
    const bearer = requesterFor(request({ authorization: "Bearer s3cret-token", "x-forwarded-for": "203.0.113.9" }), gated);
    const cookie = requesterFor(request({ cookie: `studio_access=${accessCookieValue("s3cret-token")}`, "x-forwarded-for": "198.51.100.1" }), gated);
    expect(bearer.tokenHolder).toBe(true);
    expect(bearer.scope).toMatch(/^token:[A-Za-z0-9_-]{22}$/);
    expect(cookie.scope).toBe(bearer.scope);
    expect(cookie.clientKey).toBe("ip:198.51.100.1");
    expect(requesterFor(request({ authorization: "Bearer s3cret-token" }), { ...gated, accessToken: "another-token" }).scope).toBeNull();
    expect(requesterFor(request({ authorization: "Bearer wrong", "x-forwarded-for": "203.0.113.9" }), gated)).toMatchObject({ scope: null, tokenHolder: false });
  });

  it("a new token starts a new scope", () => {
    const scope = (token: string) => requesterFor(request({ authorization: `Bearer ${token}` }), { ...gated, accessToken: token }).scope;
    expect(scope("first-token")).not.toBe(scope("second-token"));
    expect(scope("first-token")).toBe(scope("first-token"));
  });

  it("reads the edit token from X-Edit-Token, trimmed; a blank one is none", () => {
    expect(requesterFor(request({ "x-edit-token": "  tok_123 " }), open).editToken).toBe("tok_123");
    expect(requesterFor(request({ "x-edit-token": "   " }), open).editToken).toBeNull();
  });
});
