// The small Node server `npm start` runs in front of Next.js (see scripts/start.mjs).
//
// Client identity: it writes the TCP peer address into a header and signs it with a key made
// fresh for this process, so the app (lib/http/client-key.ts) can tell the address it recorded
// from one a client typed. The key lives in this process's memory only (Next.js runs in the same
// process); without this server there is no key and every client shares one identity.
//
// Slow clients: headers and bodies get REQUEST_TIMEOUT_MS instead of Node's 300 s default
// (answering 408), so a client cannot hold a connection open by dripping bytes.
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:http";

export const CLIENT_ADDRESS_HEADER = "x-studio-client-ip";
export const CLIENT_SIGNATURE_HEADER = "x-studio-client-signature";
export const SIGNING_KEY = Symbol.for("design-doc-studio.client-signing-key");
export const REQUEST_TIMEOUT_MS = 30_000;

/** HMAC-SHA256 of the address, base64url: what lib/http/client-key.ts verifies. */
export function signClientAddress(key, address) {
  return createHmac("sha256", key).update(address).digest("base64url");
}

/** The process's signing key, created on first use. */
export function signingKey() {
  globalThis[SIGNING_KEY] ??= randomBytes(32);
  return globalThis[SIGNING_KEY];
}

export function createFrontServer(handle, { timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const key = signingKey();
  const server = createServer(
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check often enough to be on time.
    { requestTimeout: timeoutMs, headersTimeout: timeoutMs, connectionsCheckingInterval: Math.min(1_000, timeoutMs / 4) },
    (request, response) => {
      const address = request.socket.remoteAddress ?? "unknown";
      request.headers[CLIENT_ADDRESS_HEADER] = address;
      request.headers[CLIENT_SIGNATURE_HEADER] = signClientAddress(key, address);
      Promise.resolve(handle(request, response)).catch((error) => {
        console.error(error);
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on the server." } }));
      });
    },
  );
  return server;
}
