/**
 * Browsers reading the document event stream through a proxy that cuts their connections at random
 * byte positions: Chromium's EventSource must get the exact text every time; the
 * @microsoft/fetch-event-source library saves an event's id as soon as its `id:` line arrives, so
 * a cut between that line and the blank line that ends the event loses the event — no server can
 * prevent it. That loss is measured here (characters lost per 100 cuts) and documented in README.
 */
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { type CuttingProxy, seededRandom, startCuttingProxy } from "../tests/support/cutting-proxy";
import { emojiLibraryDocument } from "../tests/support/emoji-document";

/** Over 16 KB, emoji and other scripts, and all 12 sections met: the app server runs the repair pass. */
const EMOJI_DOCUMENT = emojiLibraryDocument();
import { fakeModel, uniqueTopic } from "./support";

interface Read {
  text: string;
  /** Text events that did not start where the previous one ended: gaps or repeats. */
  misplaced: number;
  /** Where the last text event ended. */
  offset: number;
  end: { status: string } | null;
}

const FETCH_EVENT_SOURCE = path.resolve("node_modules/@microsoft/fetch-event-source/lib/esm");
/** Cuts in the fetch-event-source measurement. */
const MEASURED_CUTS = Number(process.env.FES_CUTS ?? 100);

let proxy: CuttingProxy;
const random = seededRandom(2026);
/** Next cut: a byte budget, or a pattern to cut right after (set by a test for one connection). */
let nextCut: RegExp | null = null;

test.beforeAll(async () => {
  proxy = await startCuttingProxy({
    target: { host: "127.0.0.1", port: E2E.appPort },
    budget: () => {
      const pattern = nextCut;
      nextCut = null;
      return pattern ?? 300 + Math.floor(random() * 16_000);
    },
    retryMs: 10,
    lingerMs: 30,
    // Cuts fall in the event stream: a cut inside the response headers makes Chromium's EventSource
    // give up for good (see countFrom), which says nothing about the stream.
    countFrom: "body",
  });
});
test.afterAll(async () => {
  await proxy?.close();
});
test.beforeEach(async () => {
  await fakeModel.reset();
});

/** Creates a document (directly, not through the proxy); waits for it to finish unless `live`. */
async function createDocument(page: Page, scenario: Record<string, unknown>, live = false): Promise<string> {
  await fakeModel.setScenario({ document: EMOJI_DOCUMENT, ...scenario });
  const created = await page.request.post(`http://127.0.0.1:${E2E.appPort}/api/documents`, { data: { topic: uniqueTopic("SSE Clients 🦀") } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  if (!live) {
    await expect.poll(async () => ((await (await page.request.get(`http://127.0.0.1:${E2E.appPort}/api/documents/${id}`)).json()) as { status: string }).status).toBe("complete");
  }
  return id;
}

/**
 * Opens a blank page on the proxy's origin, so the readers below are same-origin. It is served by
 * Playwright, not through the proxy: a connection opened for it would be kept alive and reused,
 * uncut, by the first reader.
 */
async function openOnProxy(page: Page) {
  await page.route(`${proxy.url}/`, (route) => route.fulfill({ body: "<!doctype html><title>SSE clients</title>", contentType: "text/html" }));
  await page.route("**/__fes/*", (route) => {
    const file = path.basename(new URL(route.request().url()).pathname);
    return route.fulfill({ path: path.join(FETCH_EVENT_SOURCE, file.endsWith(".js") ? file : `${file}.js`), contentType: "text/javascript" });
  });
  await page.goto(`${proxy.url}/`);
}

function readWithEventSource(page: Page, id: string): Promise<Read> {
  return page.evaluate(
    (url) =>
      new Promise<Read>((resolve) => {
        const read: Read = { text: "", misplaced: 0, offset: 0, end: null };
        const source = new EventSource(url);
        const timer = setTimeout(() => {
          source.close();
          resolve(read);
        }, 60_000);
        source.addEventListener("text", (message) => {
          const delta = JSON.parse(message.data) as string;
          if (Number(message.lastEventId) - delta.length !== read.offset) read.misplaced += 1;
          read.offset = Number(message.lastEventId);
          read.text += delta;
        });
        source.addEventListener("end", (message) => {
          read.end = JSON.parse(message.data) as { status: string };
          clearTimeout(timer);
          source.close();
          resolve(read);
        });
      }),
    `/api/documents/${id}/stream`,
  );
}

function readWithFetchEventSource(page: Page, id: string): Promise<Read> {
  return page.evaluate(async (url) => {
    const library = "/__fes/index.js"; // the library's ES modules, served by the route above
    const { fetchEventSource } = (await import(library)) as typeof import("@microsoft/fetch-event-source");
    const read: Read = { text: "", misplaced: 0, offset: 0, end: null };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    await fetchEventSource(url, {
      signal: controller.signal,
      openWhenHidden: true,
      async onopen(response) {
        // 204 answers the id of `end` (its own `end` event was lost): over.
        if (response.status === 204) throw new Error("ended");
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
      onmessage(message) {
        if (message.event === "text") {
          const delta = JSON.parse(message.data) as string;
          if (Number(message.id) - delta.length !== read.offset) read.misplaced += 1;
          read.offset = Number(message.id);
          read.text += delta;
        } else if (message.event === "end") {
          read.end = JSON.parse(message.data) as { status: string };
          controller.abort();
        }
      },
      onclose() {
        // The library stops at a clean close; its documentation says to throw to reconnect.
        if (!read.end) throw new Error("closed before the end event");
      },
      onerror(error: Error) {
        if (error.message === "ended") throw error; // stop; anything else: retry after `retry:`
      },
    }).catch(() => {});
    clearTimeout(timer);
    return read;
  }, `/api/documents/${id}/stream`);
}

test("Chromium's EventSource gets the exact text of a 58 KB emoji document through 100+ cut connections, replayed and live", async ({ page }) => {
  const id = await createDocument(page, { chunkSize: 500, delayMs: 0 });
  await openOnProxy(page);
  const cutsBefore = proxy.cuts;
  for (let round = 0; round < 3 || proxy.cuts - cutsBefore < 100; round++) {
    expect(round).toBeLessThan(40);
    const read = await readWithEventSource(page, id);
    expect(read.misplaced).toBe(0);
    expect(read.text).toBe(EMOJI_DOCUMENT);
    expect(read.end?.status).toBe("complete");
  }

  const live = await createDocument(page, { chunkSize: 37, delayMs: 3 }, true);
  const liveCuts = proxy.cuts;
  const read = await readWithEventSource(page, live);
  expect(read).toMatchObject({ misplaced: 0, end: { status: "complete" } });
  expect(read.text).toBe(EMOJI_DOCUMENT);
  expect(proxy.cuts - liveCuts).toBeGreaterThan(0);
});

test("fetch-event-source loses an event only when a cut falls between its id line and its end; measured per 100 cuts", async ({ page }, testInfo) => {
  test.setTimeout(120_000 + MEASURED_CUTS * 500);
  const id = await createDocument(page, { chunkSize: 500, delayMs: 0 });
  await openOnProxy(page);

  // A cut right after the id line of a text event (before the blank line that ends it): the library
  // stored that id, so it resumes after an event it never delivered — one event of at most 4 KB
  // is missing. EventSource, per the spec, keeps the text exact through the same cut.
  const afterIdLine = /event: text\r?\ndata: [^\n]*\nid: (\d+)\n/;
  nextCut = afterIdLine;
  const lossy = await readWithFetchEventSource(page, id);
  expect(lossy.end?.status).toBe("complete");
  expect(lossy.misplaced).toBe(1);
  expect(EMOJI_DOCUMENT.length - lossy.text.length).toBeGreaterThan(0);
  expect(EMOJI_DOCUMENT.length - lossy.text.length).toBeLessThanOrEqual(4_096);
  nextCut = afterIdLine;
  expect((await readWithEventSource(page, id)).text).toBe(EMOJI_DOCUMENT);

  // Random cuts, replayed and live: how much does the library lose per 100 cuts? (FES_CUTS=3000 for a steadier figure.)
  let lost = 0;
  let reads = 0;
  const cutsBefore = proxy.cuts;
  while (proxy.cuts - cutsBefore < MEASURED_CUTS) {
    const live = reads % 4 === 3;
    const documentId = live ? await createDocument(page, { chunkSize: 37, delayMs: 3 }, true) : id;
    const read = await readWithFetchEventSource(page, documentId);
    reads += 1;
    lost += EMOJI_DOCUMENT.length - read.text.length;
    expect(read.text.length).toBeLessThanOrEqual(EMOJI_DOCUMENT.length); // it loses, it never duplicates
  }
  const cuts = proxy.cuts - cutsBefore;
  const per100 = (lost / cuts) * 100;
  const figure = `fetch-event-source: ${lost} characters lost over ${cuts} cuts in ${reads} reads (${per100.toFixed(1)} per 100 cuts; EventSource: 0)`;
  console.log(figure);
  testInfo.annotations.push({ type: "measurement", description: figure });
});
