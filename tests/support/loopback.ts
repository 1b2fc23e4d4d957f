/** Real HTTP servers on 127.0.0.1 (port 0) for the example library's behaviour tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Loopback {
  server: Server;
  origin: string; // http://127.0.0.1:PORT
  /** Sockets the server accepted, in order; `closed` flips when the socket closes. */
  sockets: { socket: Socket; closed: boolean }[];
  close(): Promise<void>;
}

export async function startLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<Loopback> {
  const sockets: Loopback["sockets"] = [];
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  server.on("connection", (socket: Socket) => {
    const entry = { socket, closed: false };
    sockets.push(entry);
    socket.on("close", () => {
      entry.closed = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The socket a request arrived on, as an index into `Loopback.sockets`. */
export function socketIndex(loopback: Loopback, req: IncomingMessage): number {
  return loopback.sockets.findIndex((entry) => entry.socket === req.socket);
}

/** Resolves when `check()` is true, polling every few ms; rejects after `timeoutMs` with `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
