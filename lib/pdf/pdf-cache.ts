/** Rendered PDFs by document version, least recently used evicted first, bounded in bytes. */
export class PdfCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Uint8Array | undefined {
    const pdf = this.entries.get(key);
    if (pdf) {
      this.entries.delete(key);
      this.entries.set(key, pdf); // most recently used goes last
    }
    return pdf;
  }

  set(key: string, pdf: Uint8Array): void {
    if (pdf.byteLength > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.bytes -= previous.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, pdf);
    this.bytes += pdf.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.byteLength;
    }
  }

  /** Versions held. */
  get size(): number {
    return this.entries.size;
  }
}
