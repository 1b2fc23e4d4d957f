import { describe, expect, it } from "vitest";
import {
  ACCESS_COOKIE,
  accessCookieValue,
  clearedSessionCookie,
  cookieHasAccess,
  holdsAccessToken,
  requireReadAccess,
  requireWriteAccess,
  secretsEqual,
  sessionCookie,
} from "@/lib/http/access";
import { HttpError } from "@/lib/http/http-error";
import { thrownBy } from "../support/thrown";

const gated = { accessToken: "s3cret-token" };
const open = { accessToken: undefined };
const request = (headers: Record<string, string>) => new Request("http://studio.test/api/documents", { headers });
const cookie = `${ACCESS_COOKIE}=${accessCookieValue(gated.accessToken)}`;

const refusal = (action: () => void) => thrownBy<HttpError>(action);

describe("access token", () => {
  it("compares secrets exactly, whatever their lengths", () => {
    expect(secretsEqual("s3cret", "s3cret")).toBe(true);
    expect(secretsEqual("s3cret", "s3cret ")).toBe(false);
    expect(secretsEqual("", "s3cret")).toBe(false);
    expect(secretsEqual("限流 🔑", "限流 🔑")).toBe(true);
  });

  it("the cookie holds a hash of the token, never the token", () => {
    expect(accessCookieValue(gated.accessToken)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(accessCookieValue(gated.accessToken)).not.toBe(accessCookieValue("other"));
    expect(sessionCookie(gated.accessToken, false)).not.toContain("s3cret");
  });

  it("sets an HttpOnly, Lax, 30-day cookie, Secure only over HTTPS, and clears it with Max-Age=0", () => {
    const value = accessCookieValue(gated.accessToken);
    expect(sessionCookie(gated.accessToken, false)).toBe(`studio_access=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`);
    expect(sessionCookie(gated.accessToken, true)).toBe(`studio_access=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure`);
    expect(clearedSessionCookie()).toBe("studio_access=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });

  it("lets everyone write when no token is configured, and nobody holds a token then", () => {
    expect(() => requireWriteAccess(request({}), open)).not.toThrow();
    expect(holdsAccessToken(request({ authorization: "Bearer anything" }), open)).toBe(false);
    expect(cookieHasAccess(undefined, open)).toBe(true);
  });

  it("accepts the token as a Bearer header (any case, spaces trimmed) or as the sign-in cookie among others", () => {
    expect(holdsAccessToken(request({ authorization: "Bearer s3cret-token" }), gated)).toBe(true);
    expect(holdsAccessToken(request({ authorization: "bearer   s3cret-token  " }), gated)).toBe(true);
    expect(holdsAccessToken(request({ cookie: `theme=dark; ${cookie}; lang=fr` }), gated)).toBe(true);
    expect(() => requireWriteAccess(request({ cookie }), gated)).not.toThrow();
  });

  it("refuses a wrong token, a wrong cookie or none with a 401 that says how to sign in", () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: "Basic s3cret" }, { authorization: "Basic Bearer s3cret-token" }, { authorization: "Bearer" }, { cookie: `${ACCESS_COOKIE}=wrong` }, { cookie: `x${ACCESS_COOKIE}=${accessCookieValue(gated.accessToken)}` }];
    for (const headers of attempts) {
      const error = refusal(() => requireWriteAccess(request(headers), gated));
      expect(error.status).toBe(401);
      expect(error.code).toBe("unauthorized");
      expect(error.message).toContain("/signin");
      expect(error.headers).toEqual({ "WWW-Authenticate": 'Bearer realm="design-doc-studio"' });
      expect(holdsAccessToken(request(headers), gated)).toBe(false);
    }
  });

  it("reads are public unless PRIVATE_READS=1, which asks for the token", () => {
    expect(() => requireReadAccess(request({}), { ...gated, privateReads: false })).not.toThrow();
    expect(refusal(() => requireReadAccess(request({}), { ...gated, privateReads: true })).status).toBe(401);
    expect(() => requireReadAccess(request({ cookie }), { ...gated, privateReads: true })).not.toThrow();
  });

  it("a page's cookie grants access only when it is the token's cookie value", () => {
    expect(cookieHasAccess(accessCookieValue(gated.accessToken), gated)).toBe(true);
    expect(cookieHasAccess(undefined, gated)).toBe(false);
    expect(cookieHasAccess("", gated)).toBe(false);
    expect(cookieHasAccess(gated.accessToken, gated)).toBe(false);
  });
});
