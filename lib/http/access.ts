import { createHash, timingSafeEqual } from "node:crypto";
import type { StudioConfig } from "@/lib/config/env";
import { HttpError } from "./http-error";

export const ACCESS_COOKIE = "studio_access";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Compares secrets in constant time (hashing first makes the lengths equal). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Cookie value for a signed-in browser: a hash, so the token itself never sits in the cookie jar. */
export function accessCookieValue(token: string): string {
  return createHash("sha256").update(`design-doc-studio:${token}`).digest("base64url");
}

const COOKIE_ATTRIBUTES = "Path=/; HttpOnly; SameSite=Lax";

/**
 * The sign-in cookie. SameSite=Lax, not Strict: a shared link opened from chat or mail is a
 * cross-site navigation, and Strict would drop the cookie there. Forgery from other sites is
 * stopped by the Origin check (lib/http/same-origin), not by the cookie's attributes.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${ACCESS_COOKIE}=${accessCookieValue(token)}; ${COOKIE_ATTRIBUTES}; Max-Age=2592000${secure ? "; Secure" : ""}`;
}

/** Clears the sign-in cookie (sign out). */
export function clearedSessionCookie(): string {
  return `${ACCESS_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`;
}

function readCookie(request: Request, name: string): string | undefined {
  // Stryker disable next-line StringLiteral: any fallback without "=" names no cookie
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    // Stryker disable next-line StringLiteral: only compared with a base64url hash, which has no "=" to lose
    if (key === name) return rest.join("=");
  }
  return undefined;
}

function hasAccess(request: Request, config: Pick<StudioConfig, "accessToken">): boolean {
  const token = config.accessToken;
  if (!token) return true;
  // Headers arrive trimmed and `\s+` takes every space before the token: nothing is left to trim.
  // Stryker disable next-line StringLiteral: any fallback without "Bearer " matches nothing
  const bearer = /^Bearer\s+(.+)/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer && secretsEqual(bearer, token)) return true;
  const cookie = readCookie(request, ACCESS_COOKIE);
  return Boolean(cookie && secretsEqual(cookie, accessCookieValue(token)));
}

/** The request proves it holds ACCESS_TOKEN (false when none is configured: then nobody does). */
export function holdsAccessToken(request: Request, config: Pick<StudioConfig, "accessToken">): boolean {
  return Boolean(config.accessToken) && hasAccess(request, config);
}

export function cookieHasAccess(cookieValue: string | undefined, config: Pick<StudioConfig, "accessToken">): boolean {
  const token = config.accessToken;
  if (!token) return true;
  return Boolean(cookieValue && secretsEqual(cookieValue, accessCookieValue(token)));
}

/** Creating (and controlling) documents spends money: gated by ACCESS_TOKEN when it is set. */
export function requireWriteAccess(request: Request, config: Pick<StudioConfig, "accessToken">): void {
  if (!hasAccess(request, config)) {
    throw new HttpError(401, "unauthorized", "This server requires an access token: sign in at /signin, or send Authorization: Bearer <ACCESS_TOKEN>.", {
      "WWW-Authenticate": 'Bearer realm="design-doc-studio"',
    });
  }
}

/** Reading is public unless PRIVATE_READS=1. */
export function requireReadAccess(request: Request, config: Pick<StudioConfig, "accessToken" | "privateReads">): void {
  if (config.privateReads) requireWriteAccess(request, config);
}

/**
 * Credentials for a browser the server runs on this request's behalf (the PDF renderer): the
 * access cookie when the request holds the token (as a cookie or a Bearer header), nothing
 * otherwise. The page it prints is then read with exactly this request's access.
 */
export function delegatedAccess(request: Request, config: Pick<StudioConfig, "accessToken">): Record<string, string> {
  const token = config.accessToken;
  return token && hasAccess(request, config) ? { cookie: `${ACCESS_COOKIE}=${accessCookieValue(token)}` } : {};
}
