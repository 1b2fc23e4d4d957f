/**
 * A TCP proxy that cuts connections: it forwards a client's connection to a server and, after a
 * number of response bytes it draws for each connection, forwards only part of the next chunk and
 * destroys both sides — mid-event, mid-line or mid-character, wherever the budget falls. Readers of
 * the document event stream must reconnect and still get the exact text.
 *
 * It can also shorten the stream's `retry:` delay (same byte length, so HTTP framing stays valid),
 * so that a hundred reconnects take seconds, not minutes.
 */
import net from "node:net";

export interface CuttingProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Connections cut so far. */
  readonly cuts: number;
  readonly connections: number;
  close(): Promise<void>;
}

export interface CuttingProxyOptions {
  target: { host: string; port: number };
  /**
   * Where a connection is cut: after a number of response bytes, or right after the first match
   * of a pattern in the response (matched on its bytes read as latin1). Null: never. Drawn when
   * the connection's first response bytes arrive, so idle (pre-opened) connections draw nothing.
   */
  budget(): number | RegExp | null;
  /**
   * What a numeric budget counts: every response byte (default), or the body's bytes only, so the
   * cut always falls in the event stream. Chromium's EventSource gives up for good (readyState
   * CLOSED, no reconnect) when a connection fails before its response headers are complete; that
   * is the browser's rule, not the stream's, and the app's own reader reconnects by itself then.
   */
  countFrom?: "response" | "body";
  /** Replace `retry: 2000` with this many milliseconds (written with four digits). */
  retryMs?: number;
  /**
   * How long the cut connection stays open (silent) after its last bytes: a real connection dies
   * some time after the data it delivered, and a browser may drop bytes that arrive with a reset.
   */
  lingerMs?: number;
}

/** A small seeded PRNG (mulberry32), so a run's cut positions can be repeated. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const RETRY_LINE = Buffer.from("retry: 2000\n");

export async function startCuttingProxy(options: CuttingProxyOptions): Promise<CuttingProxy> {
  const sockets = new Set<net.Socket>();
  let cuts = 0;
  let connections = 0;
  const retryLine = options.retryMs === undefined ? null : Buffer.from(`retry: ${String(options.retryMs).padStart(4, "0")}\n`);
  if (retryLine && retryLine.length !== RETRY_LINE.length) throw new Error("retryMs must have at most four digits");

  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(options.target.port, options.target.host);
    sockets.add(client).add(upstream);
    let drawn = false;
    let budget: number | null = null;
    /** Where the response body starts in the stream (null until the header block is complete). */
    let bodyStart: number | null = options.countFrom === "body" ? null : 0;
    let head = "";
    let pattern: RegExp | null = null;
    let seen = "";
    let forwarded = 0;
    const destroyBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.end();
    });
    client.on("error", destroyBoth);
    upstream.on("error", destroyBoth);
    // A new request on a kept-alive connection (browsers reuse one once its response is done)
    // gets a cut of its own, counted from its own response: carried over, the old count could
    // fall inside the new response's headers.
    client.on("data", () => {
      if (!drawn) return;
      drawn = false;
      budget = null;
      bodyStart = options.countFrom === "body" ? null : 0;
      head = "";
      pattern = null;
      seen = "";
      forwarded = 0;
    });
    client.pipe(upstream);
    upstream.on("data", (data: Buffer) => {
      if (!drawn) {
        drawn = true;
        const cut = options.budget();
        if (typeof cut === "number") budget = cut;
        else pattern = cut;
        // A pattern's match is a position in the stream already: it does not move with the body.
        if (cut === null || typeof cut !== "number") bodyStart = 0;
      }
      let chunk = data;
      if (retryLine) {
        const at = chunk.indexOf(RETRY_LINE);
        if (at >= 0) chunk = Buffer.concat([chunk.subarray(0, at), retryLine, chunk.subarray(at + RETRY_LINE.length)]);
      }
      if (bodyStart === null) {
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end >= 0) {
          bodyStart = end + 4;
          if (budget !== null) budget += bodyStart;
        }
      }
      if (pattern && budget === null) {
        seen += chunk.toString("latin1");
        const match = pattern.exec(seen);
        if (match) budget = match.index + match[0].length;
      }
      if (budget !== null && bodyStart !== null && forwarded + chunk.length >= budget) {
        cuts += 1;
        client.write(chunk.subarray(0, budget - forwarded), () => setTimeout(destroyBoth, options.lingerMs ?? 0));
        forwarded = budget;
        upstream.pause();
        return;
      }
      forwarded += chunk.length;
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const proxy: CuttingProxy = {
    url: `http://127.0.0.1:${port}`,
    port,
    get cuts() {
      return cuts;
    },
    get connections() {
      return connections;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
