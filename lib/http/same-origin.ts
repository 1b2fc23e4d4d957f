import type { StudioConfig } from "@/lib/config/env";
import { HttpError } from "./http-error";
import { requestPublicOrigin } from "./public-origin";

type OriginCheckConfig = Pick<StudioConfig, "publicUrl" | "trustProxy" | "allowedOrigins">;

const BEARER = /^Bearer\s+\S/i;

/**
 * Refuses a state-changing request a browser sent from another origin. The sign-in cookie is
 * SameSite=Lax so that a shared link opened from chat still carries it; Lax does not stop a page
 * on another port of the same host (same-site) from posting with it, so this check does:
 *
 * - `Authorization: Bearer …` requests pass: a page cannot add that header to a cross-origin
 *   request without a CORS preflight, which this server never grants.
 * - Requests with neither `Origin` nor `Sec-Fetch-Site` pass: curl and servers, not browsers.
 * - `Sec-Fetch-Site: same-origin` (set by the browser, not by pages) passes.
 * - Otherwise `Origin` must be this server's public origin (lib/http/public-origin) or one of
 *   ALLOWED_ORIGINS; anything else, same-site and `null` included, is a 403.
 */
export function requireSameOrigin(request: Request, config: OriginCheckConfig): void {
  const { headers } = request;
  if (BEARER.test(headers.get("authorization") ?? "")) return;
  const origin = headers.get("origin");
  const site = headers.get("sec-fetch-site");
  if (origin === null && site === null) return;
  if (site === "same-origin") return;
  if (origin !== null && origin !== "null" && (origin === requestPublicOrigin(request, config) || config.allowedOrigins.includes(origin))) return;
  throw new HttpError(
    403,
    "cross_origin_request",
    `This request came from another site (${origin ?? `Sec-Fetch-Site: ${site}`}) and was refused. Use the studio's own pages, send Authorization: Bearer <ACCESS_TOKEN>, or list the origin in ALLOWED_ORIGINS.`,
  );
}
