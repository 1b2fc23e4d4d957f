import type { StudioConfig } from "@/lib/config/env";

/**
 * The origin readers reach this server at ("https://docs.example.com"), for absolute URLs that
 * leave the page: Open Graph tags, links in exported files.
 *
 * The rule (shared with the hardening work, issue #13):
 *   1. PUBLIC_URL when it is set;
 *   2. otherwise the request's Host header;
 *   3. with TRUST_PROXY=1, X-Forwarded-Host / X-Forwarded-Proto take precedence over Host and the
 *      connection's scheme (behind a proxy, Host is whatever the proxy sent upstream).
 * Headers are client input: a value that is not a plain host[:port] (or http/https) is ignored, so
 * nothing a client sends can inject markup or a path into a URL built from the result.
 */
type OriginConfig = Pick<StudioConfig, "publicUrl" | "trustProxy">;

// A DNS name, IPv4 address or bracketed IPv6 address, with an optional port.
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The first entry of a possibly comma-separated forwarded header (the client-facing value). */
function firstEntry(value: string | null): string | undefined {
  const first = value?.split(",")[0]?.trim();
  return first ? first : undefined;
}

function validHost(value: string | undefined): string | undefined {
  return value && HOST_PATTERN.test(value) ? value.toLowerCase() : undefined;
}

function validProtocol(value: string | undefined): "http" | "https" | undefined {
  const protocol = value?.toLowerCase().replace(/:$/, "");
  return protocol === "http" || protocol === "https" ? protocol : undefined;
}

/**
 * @param headers the request's headers
 * @param config PUBLIC_URL and TRUST_PROXY
 * @param connectionProtocol the scheme the request arrived with (none known: "http", as `npm start` serves)
 */
export function publicOrigin(headers: Headers, config: OriginConfig, connectionProtocol?: string): string {
  if (config.publicUrl) return new URL(config.publicUrl).origin;
  const forwardedHost = config.trustProxy ? validHost(firstEntry(headers.get("x-forwarded-host"))) : undefined;
  const forwardedProto = config.trustProxy ? validProtocol(firstEntry(headers.get("x-forwarded-proto"))) : undefined;
  const host = forwardedHost ?? validHost(headers.get("host") ?? undefined) ?? "localhost";
  const protocol = forwardedProto ?? validProtocol(connectionProtocol) ?? "http";
  return `${protocol}://${host}`;
}

/** publicOrigin for a route handler's Request (its URL gives the connection's scheme). */
export function requestPublicOrigin(request: Request, config: OriginConfig): string {
  return publicOrigin(request.headers, config, new URL(request.url).protocol);
}
