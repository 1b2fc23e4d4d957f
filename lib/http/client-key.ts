import type { StudioConfig } from "@/lib/config/env";

/**
 * Who is asking, for the per-client rate limit. `npm start` runs a small server that writes the
 * TCP peer address into `x-studio-client-ip` (overwriting anything a client sent). Behind a reverse
 * proxy every peer is the proxy, so with TRUST_PROXY=1 the last X-Forwarded-For entry — the address
 * your proxy saw — is used instead.
 */
export const CLIENT_IP_HEADER = "x-studio-client-ip";

export function clientKey(request: Request, config: Pick<StudioConfig, "trustProxy">): string {
  if (config.trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).pop();
    if (last) return `ip:${last}`;
  }
  const peer = request.headers.get(CLIENT_IP_HEADER);
  return peer ? `ip:${peer}` : "ip:unknown";
}
