import "server-only";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

/**
 * Prints one page of this app to PDF in headless Chromium, locked down:
 * - a fresh, throw-away profile per render (no cookies, cache or storage survive it);
 * - JavaScript disabled for the page: the server-rendered HTML and CSS are all it needs;
 * - every request outside the app's own origin is aborted (no fonts, images or beacons from
 *   elsewhere: model output is untrusted and the Markdown renderer already drops remote images);
 * - the reader's own credentials (cookie / Authorization) are forwarded to the app only, so the
 *   page is rendered with exactly the read access of the request that asked for the PDF.
 */
export interface RenderPdfOptions {
  chromiumPath: string;
  /** The app's own origin as this server reaches itself, e.g. http://127.0.0.1:3000. */
  origin: string;
  /** Path of the page to print, e.g. /d/abc. */
  pagePath: string;
  /** Headers forwarded to requests to `origin` (credentials of the asking reader). */
  forwardHeaders: Record<string, string>;
  signal: AbortSignal;
  /** Footer text (the topic); page numbers are added. */
  footer: string;
}

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-extensions",
  "--disable-quic",
];

function parseCookieHeader(header: string | undefined): { name: string; value: string }[] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.includes("="))
    .map((part) => {
      const separator = part.indexOf("=");
      return { name: part.slice(0, separator).trim(), value: part.slice(separator + 1).trim() };
    })
    .filter(({ name }) => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.codePointAt(0)};`);

export async function renderPdfWithChromium(options: RenderPdfOptions): Promise<Uint8Array> {
  options.signal.throwIfAborted();
  const profile = await mkdtemp(path.join(tmpdir(), "studio-pdf-profile-"));
  // launchPersistentContext with a new directory is the fresh profile; it is deleted afterwards.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    javaScriptEnabled: false,
    serviceWorkers: "block",
    acceptDownloads: false,
    colorScheme: "light",
    viewport: { width: 1100, height: 1400 },
  });
  const abort = () => void context.close().catch(() => {});
  options.signal.addEventListener("abort", abort, { once: true });
  try {
    options.signal.throwIfAborted(); // aborted while the browser was starting
    const { cookie, ...headers } = options.forwardHeaders;
    // Cookies go in the jar for the app's origin only (a Cookie header set on a route is not sent with navigations).
    const cookies = parseCookieHeader(cookie).map(({ name, value }) => ({ name, value, url: options.origin }));
    if (cookies.length > 0) await context.addCookies(cookies);
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (new URL(url).origin !== options.origin) return route.abort("blockedbyclient");
      return route.continue({ headers: { ...route.request().headers(), ...headers } });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const response = await page.goto(new URL(options.pagePath, options.origin).href, { waitUntil: "load" });
    if (!response || !response.ok()) throw new Error(`The page to print answered ${response?.status() ?? "nothing"}.`);
    // A redirect (e.g. to sign-in) means the page is not the document: never print something else.
    if (new URL(page.url()).pathname !== options.pagePath) throw new Error(`The page to print redirected to ${new URL(page.url()).pathname}.`);
    await page.emulateMedia({ media: "print", colorScheme: "light" });
    options.signal.throwIfAborted();
    const pdf = await page.pdf({
      format: "A4",
      printBackground: true,
      outline: true,
      tagged: true,
      margin: { top: "18mm", bottom: "18mm", left: "16mm", right: "16mm" },
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="font: 8px sans-serif; width: 100%; padding: 0 16mm; display: flex; justify-content: space-between; color: #555"><span>${escapeHtml(options.footer)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
    });
    options.signal.throwIfAborted();
    return new Uint8Array(pdf);
  } finally {
    options.signal.removeEventListener("abort", abort);
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}
