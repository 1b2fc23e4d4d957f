"use client";

import { useCallback, useState } from "react";
import { MarkdownPreview } from "@/components/markdown/MarkdownPreview";
import { ReaderActions } from "@/components/reader/ReaderActions";
import { ReaderLayout } from "@/components/reader/ReaderLayout";
import { RepairStatus } from "@/components/repair/RepairStatus";
import { VersionHistory } from "@/components/repair/VersionHistory";
import "@/components/repair/repair.css";
import { repairSection } from "@/lib/client/studio-api";
import type { PublicDocument } from "@/lib/documents/present";
import type { ParallelProgress } from "@/lib/documents/section-parts";
import { isRunningStatus } from "@/lib/documents/types";
import { sectionsInRepair } from "@/lib/repair/record";
import { DEMO_MODEL_ID, DEMO_MODEL_LABEL } from "@/lib/examples/demo-model-id";
import { DocumentActions } from "./DocumentActions";
import { DocumentHistory } from "./DocumentHistory";
import { ParallelDocumentView } from "./ParallelDocumentView";
import { problemText } from "./pending-action";
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
  const running = isRunningStatus(status);
  const [viewing, setViewing] = useState<{ version: number; markdown: string } | null>(null);
  const [repairProblem, setRepairProblem] = useState<string | null>(null);
  const { restart } = stream;
  const onRepairSection = useCallback(
    (number: number) => {
      setRepairProblem(null);
      setViewing(null);
      repairSection(initial.id, number).then(restart, (error: unknown) => setRepairProblem(problemText(error)));
    },
    [initial.id, restart],
  );
  const failure = status === "failed" || status === "interrupted" || status === "cancelled" ? FAILURE_TITLES[status] : null;
  // While a parallel document is written, every part counts, not only the text already in order.
  const showParts = stream.parts !== null && status === "generating" && stream.parts.length > 0;
  const characters = showParts ? stream.parts!.reduce((sum, part) => sum + part.text.length, 0) : stream.text.length;

  const shown = viewing && !running ? viewing : null;

  return (
    <ReaderLayout
      report={stream.report}
      // The table of contents is rebuilt when the rendered text changes: another version, or more text.
      version={shown ? `v${shown.version}` : characters}
      sidebar={{ repairing: sectionsInRepair(stream.repair), onRepairSection: status === "complete" ? onRepairSection : undefined }}
      top={
        <>
          <p className="doc-topic">
            Topic: <span data-testid="document-topic">{initial.topic}</span>
            {initial.model === DEMO_MODEL_ID ? <span className="status-badge">demo</span> : null}
          </p>
          <StatusLine
            status={status}
            connection={stream.connection}
            activity={stream.activity}
            characters={characters}
            model={initial.model}
            modelLabel={initial.model === DEMO_MODEL_ID ? DEMO_MODEL_LABEL : initial.model}
            createdAt={initial.createdAt}
            updatedAt={stream.updatedAt}
            continuations={initial.continuations}
            mode={initial.mode}
            tokens={stream.tokens}
          />
          <DocumentHistory entries={stream.history} />
          <div className="doc-actions-row">
            <DocumentActions
              id={initial.id}
              status={status}
              canRepair={stream.report.sections.some((section) => section.state === "incomplete" || section.state === "missing")}
              onStopped={stream.settle}
              onRestarted={stream.restart}
            />
            <ReaderActions pdfUrl={running ? undefined : `/api/documents/${initial.id}/pdf`} />
          </div>
          <RepairStatus repair={stream.repair} />
          {repairProblem ? (
            <p role="alert" className="hint" data-testid="repair-problem">
              {repairProblem}
            </p>
          ) : null}
          {running ? null : <VersionHistory id={initial.id} version={stream.version} onView={setViewing} />}
          {shown ? (
            <p className="alert version-banner" data-testid="viewing-version">
              You are reading version {shown.version}, not the latest.{" "}
              <button type="button" className="button" onClick={() => setViewing(null)}>
                Back to the latest
              </button>
            </p>
          ) : null}
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
      {shown ? (
        <MarkdownPreview markdown={shown.markdown} streaming={false} />
      ) : showParts ? (
        <ParallelDocumentView parts={stream.parts!} outline={stream.outline} />
      ) : stream.text ? (
        <MarkdownPreview markdown={stream.text} streaming={running} typecheck={stream.typecheck} />
      ) : (
        <p className="empty-doc">{running ? "Waiting for the first words from the model…" : "This document has no text."}</p>
      )}
    </ReaderLayout>
  );
}
