import { describe, expect, it, vi } from "vitest";
import { HttpError } from "@/lib/http/http-error";
import { PdfService, type PdfRenderer } from "@/lib/pdf/pdf-service";
import { documentVersionKey } from "@/lib/pdf/version-key";
import { designDocument } from "../support/design-document";

const document = designDocument;

const config = { chromiumPath: process.execPath, pdfRenderTimeoutMs: 5_000, pdfQueueLimit: 1 };
const pdfBytes = (text: string) => new TextEncoder().encode(`%PDF-1.7 ${text}`);

async function apiError(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe("PDF service", () => {
  it("renders the document's own page with the reader's credentials, on the server's own origin", async () => {
    const renderer = vi.fn<PdfRenderer>(async () => pdfBytes("one"));
    const service = new PdfService(config, renderer, () => "http://127.0.0.1:4567");
    await service.pdfFor(document(), { cookie: "studio_access=x" });
    expect(renderer).toHaveBeenCalledWith(
      expect.objectContaining({ origin: "http://127.0.0.1:4567", pagePath: "/d/AAAAAAAAAAAAAAAAAAAAAA", forwardHeaders: { cookie: "studio_access=x" }, footer: "限流 Rate Limiting" }),
    );
  });

  it("caches per document version: the same version is served from the cache, a new version renders again", async () => {
    let count = 0;
    const renderer = vi.fn<PdfRenderer>(async () => pdfBytes(String(++count)));
    const service = new PdfService(config, renderer, () => "http://127.0.0.1:1");
    const first = await service.pdfFor(document(), {});
    expect(await service.pdfFor(document({ updatedAt: "2026-02-02T00:00:00.000Z" }), {})).toBe(first);
    expect(renderer).toHaveBeenCalledTimes(1);
    const repaired = await service.pdfFor(document({ version: 2, markdown: "# Rate Limiting\n\nRepaired.\n" }), {});
    expect(repaired).not.toBe(first);
    expect(renderer).toHaveBeenCalledTimes(2);
  });

  it("the version key changes with the version, the start and the document, not with timestamps", () => {
    const base = documentVersionKey(document());
    expect(documentVersionKey(document({ updatedAt: "later" }))).toBe(base);
    // A repair round or a Retry: a new version.
    expect(documentVersionKey(document({ version: 2 }))).not.toBe(base);
    // Continue finished a stopped pass under the same version number: a new start.
    expect(documentVersionKey(document({ fence: 2 }))).not.toBe(base);
    expect(documentVersionKey(document({ id: "BBBBBBBBBBBBBBBBBBBBBB" }))).not.toBe(base);
  });

  it("answers 503 with install instructions when Chromium is absent, and renders nothing", async () => {
    const renderer = vi.fn<PdfRenderer>();
    const service = new PdfService({ ...config, chromiumPath: "/nonexistent/chromium" }, renderer);
    const error = await apiError(service.pdfFor(document(), {}));
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/apt-get install -y chromium/);
    expect(error.message).toMatch(/CHROMIUM_PATH/);
    expect(error.message).toMatch(/Print \/ Save as PDF/);
    expect(renderer).not.toHaveBeenCalled();
  });

  it("answers 409 while the document is still generating or being repaired", async () => {
    const service = new PdfService(config, vi.fn<PdfRenderer>());
    expect((await apiError(service.pdfFor(document({ status: "generating" }), {}))).status).toBe(409);
    expect((await apiError(service.pdfFor(document({ status: "repairing" }), {}))).status).toBe(409);
  });

  it("answers 429 with Retry-After beyond the queue, and 504 when a render times out", async () => {
    vi.useFakeTimers();
    try {
      const renderer: PdfRenderer = ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      const service = new PdfService({ ...config, pdfQueueLimit: 1 }, renderer, () => "http://127.0.0.1:1");
      const running = service.pdfFor(document({ id: "AAAAAAAAAAAAAAAAAAAAA1" }), {}).catch((error: unknown) => error);
      const queued = service.pdfFor(document({ id: "AAAAAAAAAAAAAAAAAAAAA2" }), {}).catch((error: unknown) => error);
      const refused = await apiError(service.pdfFor(document({ id: "AAAAAAAAAAAAAAAAAAAAA3" }), {}));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["Retry-After"])).toBeGreaterThan(0);
      await vi.advanceTimersByTimeAsync(5_000);
      const timedOut = (await running) as HttpError;
      expect(timedOut.status).toBe(504);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(((await queued) as HttpError).status).toBe(504);
    } finally {
      vi.useRealTimers();
    }
  });
});
