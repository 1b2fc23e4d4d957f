import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPdfWithChromium } from "@/lib/pdf/chromium-renderer";

/**
 * The real renderer in Debian's Chromium against two local servers: "the app" (the origin the
 * renderer may use) and "elsewhere" (a different origin the page tries to reach).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function listen(handler: (request: IncomingMessage) => { type: string; body: string }): Promise<{ server: Server; origin: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    seen.push(request);
    const { type, body } = handler(request);
    response.writeHead(200, { "content-type": type });
    response.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })));
}

let app: Awaited<ReturnType<typeof listen>>;
let elsewhere: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  elsewhere = await listen(() => ({ type: "text/css", body: "body { color: red }" }));
  app = await listen((request) =>
    request.url === "/style.css"
      ? { type: "text/css", body: "h2 { color: navy }" }
      : {
          type: "text/html",
          body: `<!doctype html><html><head><title>t</title><link rel="stylesheet" href="/style.css"><link rel="stylesheet" href="${elsewhere.origin}/remote.css"></head>
<body><h1>Printed Title</h1><p id="marker">STATIC TEXT</p><h2>Second Heading</h2><p>限流 😀</p>
<img src="${elsewhere.origin}/beacon.png"><script>document.getElementById("marker").textContent = "SCRIPT RAN";</script></body></html>`,
        },
  );
});

afterAll(() => {
  app.server.close();
  elsewhere.server.close();
});

describe.skipIf(!existsSync(CHROMIUM))("Chromium PDF renderer", () => {
  it("prints the page with JavaScript off, reaching only the app's origin, with the reader's credentials, in a throw-away profile", async () => {
    const profilesBefore = readdirSync(tmpdir()).filter((name) => name.startsWith("studio-pdf-profile-"));
    const pdf = await renderPdfWithChromium({
      chromiumPath: CHROMIUM,
      origin: app.origin,
      pagePath: "/d/x",
      forwardHeaders: { cookie: "studio_access=abc" },
      signal: new AbortController().signal,
      footer: 'Footer <b>"topic"</b>',
    });
    expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");

    const directory = mkdtempSync(path.join(tmpdir(), "studio-pdf-test-"));
    const file = path.join(directory, "out.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("STATIC TEXT");
    expect(text).not.toContain("SCRIPT RAN");
    expect(text).toContain("Second Heading");
    expect(text).toContain('Footer <b>"topic"</b>'); // the footer shows the topic as text, not markup

    expect(elsewhere.seen).toHaveLength(0);
    expect(app.seen.map((request) => request.url)).toContain("/style.css");
    expect(app.seen.map((request) => [request.url, request.headers.cookie])).toEqual(app.seen.map((request) => [request.url, "studio_access=abc"]));
    const profilesAfter = readdirSync(tmpdir()).filter((name) => name.startsWith("studio-pdf-profile-"));
    expect(profilesAfter.sort()).toEqual(profilesBefore.sort());
  }, 60_000);

  it("gives up when aborted (the deadline), closing the browser", async () => {
    const controller = new AbortController();
    const rendering = renderPdfWithChromium({ chromiumPath: CHROMIUM, origin: app.origin, pagePath: "/", forwardHeaders: {}, signal: controller.signal, footer: "" });
    setTimeout(() => controller.abort(), 50);
    await expect(rendering).rejects.toThrow();
  }, 60_000);
});
