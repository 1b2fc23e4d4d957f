"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFrameCoalescedText } from "@/components/markdown/use-frame-coalesced-text";
import { documentApiPath, fetchDocument, type PublicDocument } from "@/lib/client/studio-api";
import type { DocumentStatus, HistoryEntry } from "@/lib/documents/types";
import type { ModelActivity } from "@/lib/events/document-events";
import { IncrementalSectionAnalyzer, type SectionReport } from "@/lib/sections/analyzer";
import { followDocumentStream, type ConnectionState } from "./document-stream-follower";

export type { ConnectionState } from "./document-stream-follower";

/** Live text is committed about 10 times a second: each commit re-renders tail, sidebar and status. */
const LIVE_COMMIT_INTERVAL_MS = 100;

export interface DocumentStreamState {
  text: string;
  status: DocumentStatus;
  error: string | null;
  connection: ConnectionState;
  /** What the model is doing while generating (null when unknown or over). */
  activity: ModelActivity | null;
  /** The automatic recoveries of the generation (retries, continuations). */
  history: HistoryEntry[];
  report: SectionReport;
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
  const [activity, setActivity] = useState<ModelActivity | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>(initial.history);
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
      setError(document.error);
      setHistory(document.history);
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
        setActivity(null);
        setUpdatedAt(new Date().toISOString());
        setStatus(end.status);
        // The history is not part of the stream: read it once the generation is over.
        fetchDocument(initial.id).then((document) => setHistory(document.history), () => {});
      },
      onActivity: setActivity,
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
      setError(null);
      setActivity(null);
      setHistory(document.history);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
      setSession((value) => value + 1);
    },
    [reset],
  );

  const final = status !== "generating";
  // The analyzer folds deltas as they arrive; a report is taken once per committed frame of text.
  const snapshot = useMemo(() => ({ text, report: analyzer.report({ final }) }), [analyzer, text, final]);

  return { text: snapshot.text, report: snapshot.report, status, error, connection, activity: final ? null : activity, history, updatedAt, restart, settle };
}
