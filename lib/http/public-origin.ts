import type { StudioConfig } from "@/lib/config/env";

/**
 * The origin readers reach this server at ("https://docs.example.com"): what a browser puts in
 * `Origin` when it posts from one of our pages, and the base of absolute links that leave the
 * page (Open Graph images). Redirects never use it: they stay relative.
 *
 *   1. PUBLIC_URL when it is set;
 *   2. otherwise the request's Host, with the scheme the request arrived with;
 *   3. with TRUST_PROXY=1, X-Forwarded-Host / X-Forwarded-Proto (first entry: the client-facing
 *      value) take precedence, because behind a proxy Host is whatever the proxy sent upstream.
 *
 * Headers are client input: a value that is not a plain host[:port] (or http/https) is ignored.
 */
type OriginConfig = Pick<StudioConfig, "publicUrl" | "trustProxy">;

// A DNS name, IPv4 address or bracketed IPv6 address, with an optional port.
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function firstEntry(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

function validHost(value: string | undefined): string | undefined {
  return value && HOST.test(value) ? value.toLowerCase() : undefined;
}

function validScheme(value: string | undefined): "http" | "https" | undefined {
  const scheme = value?.toLowerCase().replace(/:$/, "");
  return scheme === "http" || scheme === "https" ? scheme : undefined;
}

export function publicOrigin(request: Request, config: OriginConfig): string {
  if (config.publicUrl) return new URL(config.publicUrl).origin;
  const url = new URL(request.url);
  const { headers } = request;
  const forwardedHost = config.trustProxy ? validHost(firstEntry(headers.get("x-forwarded-host"))) : undefined;
  const forwardedScheme = config.trustProxy ? validScheme(firstEntry(headers.get("x-forwarded-proto"))) : undefined;
  const host = forwardedHost ?? validHost(headers.get("host")?.trim()) ?? url.host;
  const scheme = forwardedScheme ?? validScheme(url.protocol) ?? "http";
  return `${scheme}://${host}`;
}
