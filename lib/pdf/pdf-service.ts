import "server-only";
import { existsSync } from "node:fs";
import type { StudioConfig } from "@/lib/config/env";
import { isRunningStatus, type DesignDocument } from "@/lib/documents/types";
import { HttpError } from "@/lib/http/http-error";
import { selfOrigin } from "@/lib/http/self-origin";
import { renderPdfWithChromium, type RenderPdfOptions } from "./chromium-renderer";
import { PdfCache } from "./pdf-cache";
import { RenderBusyError, RenderGate, RenderTimeoutError } from "./render-gate";
import { documentVersionKey } from "./version-key";

export const CHROMIUM_MISSING_MESSAGE =
  "PDF export renders on the server with Chromium, which is not installed here. Install it with `apt-get install -y chromium` " +
  "(or set CHROMIUM_PATH to a Chromium binary) and restart. Until then, use Print / Save as PDF in your browser.";

const CACHE_BYTES = 64 * 1024 * 1024;

export type PdfRenderer = (options: RenderPdfOptions) => Promise<Uint8Array>;

/** PDFs of documents: one cache, one render at a time, per server process. */
export class PdfService {
  private readonly cache = new PdfCache(CACHE_BYTES);
  private readonly gate: RenderGate<Uint8Array>;

  constructor(
    private readonly config: Pick<StudioConfig, "chromiumPath" | "pdfRenderTimeoutMs" | "pdfQueueLimit">,
    private readonly renderer: PdfRenderer = renderPdfWithChromium,
    private readonly origin: () => string = selfOrigin,
  ) {
    this.gate = new RenderGate({ queueLimit: config.pdfQueueLimit, timeoutMs: config.pdfRenderTimeoutMs });
  }

  /**
   * The PDF of the document's current version. The caller has already checked read access;
   * `forwardHeaders` carry the same credentials to the page Chromium prints.
   */
  async pdfFor(document: DesignDocument, forwardHeaders: Record<string, string>): Promise<Uint8Array> {
    if (isRunningStatus(document.status)) {
      const what = document.status === "repairing" ? "Its sections are still being repaired" : "The document is still being generated";
      throw new HttpError(409, "still_generating", `${what}: download the PDF once it has finished.`);
    }
    const key = documentVersionKey(document);
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (!existsSync(this.config.chromiumPath)) throw new HttpError(503, "pdf_unavailable", CHROMIUM_MISSING_MESSAGE);
    try {
      const pdf = await this.gate.run(key, (signal) =>
        this.renderer({
          chromiumPath: this.config.chromiumPath,
          origin: this.origin(),
          pagePath: `/d/${document.id}`,
          forwardHeaders,
          signal,
          footer: document.topic,
        }),
      );
      this.cache.set(key, pdf);
      return pdf;
    } catch (error) {
      if (error instanceof RenderBusyError) {
        throw new HttpError(429, "pdf_busy", "Other PDFs are being rendered right now; try again shortly.", { "Retry-After": String(error.retryAfterSeconds) });
      }
      if (error instanceof RenderTimeoutError) {
        throw new HttpError(504, "pdf_timeout", `Rendering the PDF took longer than ${Math.round(error.timeoutMs / 1000)} s and was stopped. Try again, or use Print / Save as PDF in your browser.`);
      }
      throw error;
    }
  }
}

const globalForPdf = globalThis as typeof globalThis & { __designDocPdf?: PdfService };

/** One service per process (route handlers are bundled separately, as with the studio). */
export function getPdfService(config: StudioConfig): PdfService {
  globalForPdf.__designDocPdf ??= new PdfService(config);
  return globalForPdf.__designDocPdf;
}
