"use client";

/**
 * Reading actions beside a document's own: print (the print stylesheet makes it a clean page, and
 * "Save as PDF" in the dialog works without the server) and, for stored documents, the PDF the
 * server renders.
 */
export function ReaderActions({ pdfUrl }: { pdfUrl?: string }) {
  return (
    <div className="doc-toolbar reader-actions" data-testid="reader-actions">
      <button type="button" className="button" onClick={() => window.print()}>
        Print / Save as PDF
      </button>
      {pdfUrl ? (
        <a className="button" href={pdfUrl} download>
          Download PDF
        </a>
      ) : null}
    </div>
  );
}
