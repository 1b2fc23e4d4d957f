"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFrameCoalescedText } from "@/components/markdown/use-frame-coalesced-text";
import type { PublicDocument } from "@/lib/documents/present";
import type { DocumentStatus } from "@/lib/documents/types";
import { IncrementalSectionAnalyzer, type SectionReport } from "@/lib/sections/analyzer";
import type { TypecheckResult } from "@/lib/typecheck/result";

/** Live text is committed about 10 times a second: each commit re-renders tail, sidebar and status. */
const LIVE_COMMIT_INTERVAL_MS = 100;

export type ConnectionState = "idle" | "connecting" | "live" | "reconnecting";

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
 * Follows a document's event stream: appends deltas (committed at most once per animation
 * frame), feeds the section analyzer incrementally, and re-attaches from the last offset
 * after a dropped connection, so nothing is lost or duplicated.
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

  useEffect(() => {
    if (status !== "generating") return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let failures = 0;

    const connect = () => {
      setConnection(source ? "reconnecting" : "connecting");
      source?.close();
      source = new EventSource(`/api/documents/${initial.id}/stream?from=${received.current}`);
      source.onopen = () => {
        failures = 0;
        setConnection("live");
      };
      source.addEventListener("text", (event) => {
        const delta = JSON.parse((event as MessageEvent<string>).data) as string;
        const endOffset = Number((event as MessageEvent<string>).lastEventId);
        const startOffset = endOffset - delta.length;
        if (endOffset <= received.current) return; // already have it (replay after reconnect)
        if (startOffset !== received.current) {
          connect(); // a gap: ask again from what we really have
          return;
        }
        received.current = endOffset;
        analyzer.push(delta);
        append(delta);
      });
      source.addEventListener("end", (event) => {
        const end = JSON.parse((event as MessageEvent<string>).data) as { status: DocumentStatus; error?: string };
        stopped = true;
        source?.close();
        setConnection("idle");
        setError(end.error ?? null);
        setUpdatedAt(new Date().toISOString());
        setStatus(end.status);
        // The stored report now holds the type check (it ran before `end`): fetch it once.
        void fetch(`/api/documents/${initial.id}`, { cache: "no-store" })
          .then((response) => (response.ok ? (response.json() as Promise<PublicDocument>) : null))
          .then((document) => {
            if (document?.typecheck) setTypecheck(document.typecheck);
          })
          .catch(() => {});
      });
      source.onerror = () => {
        if (stopped) return;
        // EventSource retries by itself while CONNECTING; once CLOSED (e.g. a 5xx), retry ourselves.
        if (source?.readyState === EventSource.CLOSED) {
          setConnection("reconnecting");
          // Back off (1 s … 30 s) so a server that keeps refusing is not hammered.
          retryTimer = setTimeout(connect, Math.min(30_000, 1_000 * 2 ** failures++));
        } else {
          setConnection("reconnecting");
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
    // `session` restarts the subscription after Continue/Retry.
  }, [initial.id, status, session, append, analyzer]);

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

  const final = status !== "generating";
  // The analyzer folds deltas as they arrive; a report is taken once per committed frame of text.
  // A type check made for other text is ignored by the analyzer (checking… until the right one arrives).
  const snapshot = useMemo(() => ({ text, report: analyzer.report({ final, typecheck: typecheck ?? undefined }) }), [analyzer, text, final, typecheck]);

  return { text: snapshot.text, report: snapshot.report, typecheck, status, error, connection, updatedAt, restart, settle };
}
