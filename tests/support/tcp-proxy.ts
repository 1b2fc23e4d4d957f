/**
 * A TCP proxy on 127.0.0.1 for fault injection between a client and a real server:
 * `hold()` stops forwarding client bytes (a network stall: commands arrive late, in
 * order, when `release()` is called); `reset()` cuts every open connection with a TCP reset (the
 * client reads ECONNRESET, as when a server or a middlebox dies); `close()` ends it.
 */
import { createConnection, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  port: number;
  hold(): void;
  release(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let holding = false;
  const held: { upstream: Socket; chunk: Buffer }[] = [];
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: targetHost, port: targetPort });
    clients.add(client);
    client.on("close", () => clients.delete(client));
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.on("data", (chunk: Buffer) => {
      if (holding) held.push({ upstream, chunk });
      else upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const { upstream, chunk } of held.splice(0)) upstream.write(chunk);
    },
    reset: () => {
      for (const client of clients) client.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
