"use client";

import { useRef } from "react";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { SectionSidebar } from "@/components/sections/SectionSidebar";
import type { PublicDocument } from "@/lib/documents/present";
import { DEMO_MODEL_ID, DEMO_MODEL_LABEL } from "@/lib/examples/demo-model-id";
import { DocumentActions } from "./DocumentActions";
import { DocumentHistory } from "./DocumentHistory";
import { scrollToSection } from "./scroll-to-section";
import { StatusLine } from "./StatusLine";
import { useDocumentStream } from "./use-document-stream";

const FAILURE_TITLES = {
  failed: "Generation failed",
  interrupted: "Generation interrupted",
  cancelled: "Generation stopped",
} as const;

/** The live document: status, actions, the streaming preview and the section sidebar. */
export function DocumentWorkspace({ initial }: { initial: PublicDocument }) {
  const stream = useDocumentStream(initial);
  const documentRef = useRef<HTMLDivElement>(null);
  const { status } = stream;
  const failure = status === "failed" || status === "interrupted" || status === "cancelled" ? FAILURE_TITLES[status] : null;

  return (
    <div className="workspace">
      <section aria-label="Document">
        <p className="doc-topic">
          Topic: <span data-testid="document-topic">{initial.topic}</span>
          {initial.model === DEMO_MODEL_ID ? <span className="status-badge" style={{ marginLeft: 8 }}>demo</span> : null}
        </p>
        <StatusLine
          status={status}
          connection={stream.connection}
          activity={stream.activity}
          characters={stream.text.length}
          model={initial.model}
          modelLabel={initial.model === DEMO_MODEL_ID ? DEMO_MODEL_LABEL : initial.model}
          createdAt={initial.createdAt}
          updatedAt={stream.updatedAt}
          continuations={initial.continuations}
        />
        <DocumentHistory entries={stream.history} />
        <DocumentActions id={initial.id} status={status} onStopped={stream.settle} onRestarted={stream.restart} />
        {failure ? (
          <div className="alert alert-error" role="alert" data-testid="failure-state">
            <strong>{failure}.</strong> {stream.error ?? ""}
            {"\n"}The text received so far is kept below{status === "cancelled" ? "" : ": Continue resumes from it, Retry starts over"}.
          </div>
        ) : null}
        <div ref={documentRef}>
          {stream.text ? (
            <MarkdownPreview markdown={stream.text} streaming={status === "generating"} />
          ) : (
            <p className="empty-doc">{status === "generating" ? "Waiting for the first words from the model…" : "This document has no text."}</p>
          )}
        </div>
      </section>
      <aside className="workspace-aside" aria-label="Section compliance">
        <SectionSidebar report={stream.report} onSelectSection={(section) => scrollToSection(documentRef.current, section)} />
      </aside>
    </div>
  );
}
