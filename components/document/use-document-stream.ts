"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFrameCoalescedText } from "@/components/markdown/use-frame-coalesced-text";
import { documentApiPath, fetchDocument, type PublicDocument } from "@/lib/client/studio-api";
import type { DocumentStatus } from "@/lib/documents/types";
import { IncrementalSectionAnalyzer, type SectionReport } from "@/lib/sections/analyzer";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { followDocumentStream, type ConnectionState } from "./document-stream-follower";

export type { ConnectionState } from "./document-stream-follower";

/** Live text is committed about 10 times a second: each commit re-renders tail, sidebar and status. */
const LIVE_COMMIT_INTERVAL_MS = 100;

export interface DocumentStreamState {
  text: string;
  status: DocumentStatus;
  error: string | null;
  connection: ConnectionState;
  report: SectionReport;
  /** The server's type check of this text (null until it arrives). */
  typecheck: TypecheckResult | null;
  /** When the text last changed state: frozen once the generation ends, for the elapsed time. */
  updatedAt: string;
  /** Restart with the state the server answered after Continue or Retry. */
  restart(document: PublicDocument): void;
  /** Apply a final state (e.g. after Stop) without waiting for the stream's end event. */
  settle(document: PublicDocument): void;
}

function analyzerFor(text: string): IncrementalSectionAnalyzer {
  const analyzer = new IncrementalSectionAnalyzer();
  if (text) analyzer.push(text);
  return analyzer;
}

/**
 * Follows a document's event stream (see document-stream-follower.ts): appends deltas (committed
 * about 10 times a second) and feeds the section analyzer incrementally.
 */
export function useDocumentStream(initial: PublicDocument): DocumentStreamState {
  const { text, append, reset } = useFrameCoalescedText(initial.markdown, { minIntervalMs: LIVE_COMMIT_INTERVAL_MS });
  const [status, setStatus] = useState<DocumentStatus>(initial.status);
  const [error, setError] = useState<string | null>(initial.error);
  const [updatedAt, setUpdatedAt] = useState(initial.updatedAt);
  const [connection, setConnection] = useState<ConnectionState>("idle");
  const [typecheck, setTypecheck] = useState<TypecheckResult | null>(initial.typecheck);
  const [session, setSession] = useState(0);
  // Mutable by design: it folds every delta as it arrives; replaced wholesale on restart.
  const [analyzer, setAnalyzer] = useState(() => analyzerFor(initial.markdown));
  /** Length of the text received so far (ahead of the committed frame). */
  const received = useRef(initial.markdown.length);

  const settle = useCallback(
    (document: PublicDocument) => {
      if (document.status === "generating") return;
      if (document.markdown.length !== received.current) {
        setAnalyzer(analyzerFor(document.markdown));
        received.current = document.markdown.length;
        reset(document.markdown);
      }
      if (document.typecheck) setTypecheck(document.typecheck);
      setError(document.error);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
    },
    [reset],
  );

  useEffect(() => {
    if (status !== "generating") return;
    const follower = followDocumentStream({
      url: (from) => `${documentApiPath(initial.id, "stream")}?from=${from}`,
      received: received.current,
      createSource: (url) => new EventSource(url),
      onText: (delta) => {
        received.current += delta.length;
        analyzer.push(delta);
        append(delta);
      },
      onEnd: (end) => {
        setError(end.error);
        setUpdatedAt(new Date().toISOString());
        setStatus(end.status);
      },
      onChecks: setTypecheck,
      onConnection: setConnection,
      settleFromServer: async () => {
        const document = await fetchDocument(initial.id);
        if (document.status === "generating") return false;
        settle(document);
        return true;
      },
    });
    return () => follower.stop();
    // `session` restarts the subscription after Continue/Retry.
  }, [initial.id, status, session, append, analyzer, settle]);

  const restart = useCallback(
    (document: PublicDocument) => {
      setAnalyzer(analyzerFor(document.markdown));
      received.current = document.markdown.length;
      reset(document.markdown);
      setTypecheck(document.typecheck);
      setError(null);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
      setSession((value) => value + 1);
    },
    [reset],
  );

  const final = status !== "generating";
  // The analyzer folds deltas as they arrive; a report is taken once per committed frame of text.
  // A type check made for other text is ignored by the analyzer (checking… until the right one arrives).
  const snapshot = useMemo(() => ({ text, report: analyzer.report({ final, typecheck: typecheck ?? undefined }) }), [analyzer, text, final, typecheck]);

  return { text: snapshot.text, report: snapshot.report, typecheck, status, error, connection, updatedAt, restart, settle };
}
