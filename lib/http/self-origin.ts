/**
 * How this server reaches itself (for the PDF renderer's browser): the address `npm start`
 * listens on, from PORT / HOST. Never taken from a request: a client-chosen Host must not decide
 * which site the server's browser opens.
 */
export function selfOrigin(env: Record<string, string | undefined> = process.env): string {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST?.trim() || "127.0.0.1";
  // A wildcard listen address is reachable on loopback.
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" || host === "[::]" ? "[::1]" : host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${reachable}:${port}`;
}
