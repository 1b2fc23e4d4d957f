import { createHmac, timingSafeEqual } from "node:crypto";
import type { StudioConfig } from "@/lib/config/env";

/**
 * Who is asking, for the per-client rate limit and for scoping "already generated" answers.
 *
 * - `npm start` runs a front server (scripts/front-server.mjs) that writes the TCP peer address
 *   into `x-studio-client-ip` and signs it with a key that exists only in this process's memory.
 *   A header without a valid signature is ignored: clients cannot pick their identity.
 * - With TRUST_PROXY=1 the last X-Forwarded-For entry — the address your proxy saw and appended —
 *   is used instead: behind a proxy every peer is the proxy.
 * - Otherwise (plain `next start`, `next dev`) nobody can be told apart: every client shares one
 *   identity, which is not `verified`.
 */
const CLIENT_IP_HEADER = "x-studio-client-ip";
const CLIENT_SIGNATURE_HEADER = "x-studio-client-signature";
const SIGNING_KEY = Symbol.for("design-doc-studio.client-signing-key");
/** The one identity every client has when none can be verified. */
const SHARED_CLIENT_KEY = "shared:unverified";

export interface ClientIdentity {
  key: string;
  /** The key names one client (a signed or proxy-reported address), not everyone at once. */
  verified: boolean;
}

function signingKey(): Buffer | undefined {
  const key = (globalThis as Record<symbol, unknown>)[SIGNING_KEY];
  return Buffer.isBuffer(key) ? key : undefined;
}

function signedAddress(headers: Headers): string | undefined {
  const key = signingKey();
  const address = headers.get(CLIENT_IP_HEADER);
  const signature = headers.get(CLIENT_SIGNATURE_HEADER);
  if (!key || !address || !signature) return undefined;
  const expected = createHmac("sha256", key).update(address).digest();
  const given = Buffer.from(signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : undefined;
}

export function clientIdentity(request: Request, config: Pick<StudioConfig, "trustProxy">): ClientIdentity {
  if (config.trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).pop();
    if (last) return { key: `ip:${last}`, verified: true };
  }
  const address = signedAddress(request.headers);
  return address ? { key: `ip:${address}`, verified: true } : { key: SHARED_CLIENT_KEY, verified: false };
}
