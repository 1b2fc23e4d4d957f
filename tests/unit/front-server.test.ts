import { connect, type AddressInfo } from "node:net";
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { clientIdentity } from "@/lib/http/client-key";
import { CLIENT_ADDRESS_HEADER, CLIENT_SIGNATURE_HEADER, createFrontServer, REQUEST_TIMEOUT_MS, SIGNING_KEY } from "../../scripts/front-server.mjs";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

const config = { trustProxy: false };

describe("npm start's front server", () => {
  it("overwrites the client address headers with the TCP peer and a signature the app accepts", async () => {
    let seen: IncomingHttpHeaders = {};
    const port = await listen(
      createFrontServer(async (request, response) => {
        seen = request.headers;
        response.end("ok");
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest({ port, host: "127.0.0.1", path: "/", headers: { [CLIENT_ADDRESS_HEADER]: "6.6.6.6", [CLIENT_SIGNATURE_HEADER]: "forged" } }, (response) => {
        response.resume();
        response.on("end", resolve);
      });
      request.on("error", reject);
      request.end();
    });
    expect(seen[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.1");
    const headers = new Headers({ [CLIENT_ADDRESS_HEADER]: String(seen[CLIENT_ADDRESS_HEADER]), [CLIENT_SIGNATURE_HEADER]: String(seen[CLIENT_SIGNATURE_HEADER]) });
    expect(clientIdentity(new Request("http://x/", { headers }), config)).toEqual({ key: "ip:127.0.0.1", verified: true });
    // The signature is bound to the address and to this process's key.
    headers.set(CLIENT_ADDRESS_HEADER, "6.6.6.6");
    expect(clientIdentity(new Request("http://x/", { headers }), config).verified).toBe(false);
    expect((globalThis as Record<symbol, unknown>)[SIGNING_KEY]).toBeInstanceOf(Buffer);
  });

  it("gives headers and bodies 30 s by default instead of Node's 300 s", () => {
    const server = createFrontServer(async (_request, response) => void response.end());
    expect(REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(server.requestTimeout).toBe(30_000);
    expect(server.headersTimeout).toBe(30_000);
  });

  it("drops a client that sends its body too slowly once the request timeout has passed, not before", async () => {
    const timeoutMs = 1_000;
    const port = await listen(createFrontServer(async (request, response) => request.on("end", () => response.end("done")).resume(), { timeoutMs }));
    const socket = connect(port, "127.0.0.1");
    const started = Date.now();
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.write("POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    const drip = setInterval(() => socket.write(" "), 200);
    const closedAt = await new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now())));
    clearInterval(drip);
    expect(closedAt - started).toBeGreaterThanOrEqual(timeoutMs);
    expect(closedAt - started).toBeLessThan(timeoutMs + 2_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
