"use client";

import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { ReaderActions } from "@/components/reader/ReaderActions";
import { ReaderLayout } from "@/components/reader/ReaderLayout";
import type { PublicDocument } from "@/lib/documents/present";
import type { ParallelProgress } from "@/lib/documents/section-parts";
import { DEMO_MODEL_ID, DEMO_MODEL_LABEL } from "@/lib/examples/demo-model-id";
import { DocumentActions } from "./DocumentActions";
import { ParallelDocumentView } from "./ParallelDocumentView";
import { SectionFailures } from "./SectionFailures";
import { StatusLine } from "./StatusLine";
import { useDocumentStream } from "./use-document-stream";

const FAILURE_TITLES = {
  failed: "Generation failed",
  interrupted: "Generation interrupted",
  cancelled: "Generation stopped",
} as const;

/**
 * The live document: status, actions, the streaming preview and the section sidebar. A parallel
 * document shows each part in its place while it is written (`initialParallel`: the parts' texts
 * as stored, for the first render), then the whole document.
 */
export function DocumentWorkspace({ initial, initialParallel }: { initial: PublicDocument; initialParallel?: ParallelProgress | null }) {
  const stream = useDocumentStream(initial, initialParallel);
  const { status } = stream;
  const failure = status === "failed" || status === "interrupted" || status === "cancelled" ? FAILURE_TITLES[status] : null;
  // While a parallel document is written, every part counts, not only the text already in order.
  const showParts = stream.parts !== null && status === "generating" && stream.parts.length > 0;
  const characters = showParts ? stream.parts!.reduce((sum, part) => sum + part.text.length, 0) : stream.text.length;

  return (
    <ReaderLayout
      report={stream.report}
      version={characters}
      top={
        <>
          <p className="doc-topic">
            Topic: <span data-testid="document-topic">{initial.topic}</span>
            {initial.model === DEMO_MODEL_ID ? <span className="status-badge">demo</span> : null}
          </p>
          <StatusLine
            status={status}
            connection={stream.connection}
            characters={characters}
            model={initial.model}
            modelLabel={initial.model === DEMO_MODEL_ID ? DEMO_MODEL_LABEL : initial.model}
            createdAt={initial.createdAt}
            updatedAt={stream.updatedAt}
            continuations={initial.continuations}
            mode={initial.mode}
            tokens={stream.tokens}
          />
          <div className="doc-actions-row">
            <DocumentActions id={initial.id} status={status} onStopped={stream.settle} onRestarted={stream.restart} />
            <ReaderActions pdfUrl={status === "generating" ? undefined : `/api/documents/${initial.id}/pdf`} />
          </div>
          {stream.parts && failure ? <SectionFailures id={initial.id} parts={stream.parts} onRestarted={stream.restart} /> : null}
          {failure ? (
            <div className="alert alert-error" role="alert" data-testid="failure-state">
              <strong>{failure}.</strong> {stream.error ?? ""}
              {"\n"}The text received so far is kept below{status === "cancelled" ? "" : ": Continue resumes from it, Retry starts over"}.
            </div>
          ) : null}
        </>
      }
    >
      {showParts ? (
        <ParallelDocumentView parts={stream.parts!} outline={stream.outline} />
      ) : stream.text ? (
        <MarkdownPreview markdown={stream.text} streaming={status === "generating"} typecheck={stream.typecheck} />
      ) : (
        <p className="empty-doc">{status === "generating" ? "Waiting for the first words from the model…" : "This document has no text."}</p>
      )}
    </ReaderLayout>
  );
}
