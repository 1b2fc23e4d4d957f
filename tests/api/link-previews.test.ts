import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startStudioHarness, type StudioHarness } from "../support/studio-harness";

// generateMetadata reads the request's headers through next/headers; give it a request scope.
const requestHeaders = vi.hoisted(() => ({ current: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => requestHeaders.current, cookies: async () => ({ get: () => undefined }) }));

let h: StudioHarness;
const externalFetches: string[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  h = await startStudioHarness({ PUBLIC_URL: "", TRUST_PROXY: "1" });
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await h.close();
});

const DOCUMENT = [
  "# 限流 🚀 Rate Limiting",
  "",
  '> A quote is not the first paragraph.',
  "",
  'Limits **how often** a client may call, with `token buckets` and [sliding windows](https://x.test) <script>alert("x")</script>. "Quoted" & <b>bold</b>. ' +
    "More words follow to make this paragraph longer than any preview wants to show. ".repeat(4),
  "",
  "## 1. The Real Problem This Exists to Solve",
  "",
  "Text.",
].join("\n");

async function ogImage(id: string) {
  const route = await import("@/app/api/documents/[id]/og-image/route");
  return route.GET(new Request(`http://studio.test/api/documents/${id}/og-image`), { params: Promise.resolve({ id }) });
}

describe("link previews of a public document", () => {
  it("has og:title, a plain-text og:description from the first paragraph, og:type=article, twitter:card and an absolute image URL", async () => {
    h.fake.setScenario({ document: DOCUMENT, chunkSize: 400, delayMs: 0 });
    const { id } = await h.createOk("限流 🚀 Rate Limiting");
    await h.waitUntilFinished(id);
    requestHeaders.current = new Headers({ host: "app.internal:3000", "x-forwarded-host": "docs.example.com", "x-forwarded-proto": "https" });
    const { generateMetadata } = await import("@/app/d/[id]/page");
    const metadata = await generateMetadata({ params: Promise.resolve({ id }) });

    expect(String(metadata.metadataBase)).toBe("https://docs.example.com/");
    const og = metadata.openGraph as { type: string; title: string; description: string; url: string; images: { url: string; width: number }[] };
    expect(og.type).toBe("article");
    expect(og.title).toBe("限流 🚀 Rate Limiting");
    expect(og.description).toMatch(/^Limits how often a client may call, with token buckets and sliding windows alert\("x"\)\. "Quoted" & bold\. More words/);
    expect(og.description).not.toMatch(/[<>*`[\]]/);
    expect(og.description.length).toBeLessThanOrEqual(200);
    expect(og.description.endsWith("…")).toBe(true);
    expect(new URL(og.images[0]!.url, String(metadata.metadataBase)).href).toBe(`https://docs.example.com/api/documents/${id}/og-image`);
    expect((metadata.twitter as { card: string }).card).toBe("summary_large_image");
  });

  it("renders the image as a 1200×630 PNG from bundled fonts, fetching nothing, for CJK, Hangul and emoji topics", async () => {
    h.fake.setScenario({ document: DOCUMENT, chunkSize: 400, delayMs: 0 });
    const { id } = await h.createOk("속도 제한 限流 レート制限 👨‍👩‍👧 Привет");
    await h.waitUntilFinished(id);
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      // satori loads its own WebAssembly from a data: URL; anything else would leave the machine.
      if (!url.startsWith("data:")) {
        externalFetches.push(url);
        throw new Error(`no network at run time: ${url}`);
      }
      return realFetch(input, init);
    }) as typeof fetch;
    try {
      const response = await ogImage(id);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await response.arrayBuffer());
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(externalFetches).toEqual([]);
  });

  it("answers 404 for an unknown document", async () => {
    expect((await ogImage("AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
  });
});
