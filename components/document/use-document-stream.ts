"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFrameCoalescedText } from "@/components/markdown/use-frame-coalesced-text";
import { documentApiPath, fetchDocument, type PublicDocument } from "@/lib/client/studio-api";
import { isRunningStatus, type DocumentStatus } from "@/lib/documents/types";
import type { RepairRecord } from "@/lib/repair/record";
import { IncrementalSectionAnalyzer, type SectionReport } from "@/lib/sections/analyzer";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { followDocumentStream, type ConnectionState } from "./document-stream-follower";
import { showRepairsInPlace, type SectionDraft } from "./repairs-in-place";

export type { ConnectionState } from "./document-stream-follower";

/** Live text is committed about 10 times a second: each commit re-renders tail, sidebar and status. */
const LIVE_COMMIT_INTERVAL_MS = 100;

export interface DocumentStreamState {
  /** What the page shows: the current version, with the sections being rewritten in place as they stream. */
  text: string;
  status: DocumentStatus;
  error: string | null;
  connection: ConnectionState;
  /** The section report of the current version (the sections being rewritten are judged when they are done). */
  report: SectionReport;
  /** The server's type check of this text (null until it arrives). */
  typecheck: TypecheckResult | null;
  /** The current version (1: the first pass). */
  version: number;
  /** The latest repair, live. */
  repair: RepairRecord | null;
  /** When the text last changed state: frozen once the generation ends, for the elapsed time. */
  updatedAt: string;
  /** Restart with the state the server answered after Continue, Retry or Repair. */
  restart(document: PublicDocument): void;
  /** Apply a final state (e.g. after Stop) without waiting for the stream's end event. */
  settle(document: PublicDocument): void;
}

function analyzerFor(text: string): IncrementalSectionAnalyzer {
  const analyzer = new IncrementalSectionAnalyzer();
  if (text) analyzer.push(text);
  return analyzer;
}

type Latest = { version: number; markdown: string } | null;

/** The version a document shows beside its text channel, when the two differ (a repaired document). */
function latestOf(document: PublicDocument): Latest {
  return document.version !== document.passVersion ? { version: document.version, markdown: document.markdown } : null;
}

/**
 * Follows a document's event stream (see document-stream-follower.ts): appends the first pass
 * (committed about 10 times a second) and feeds the section analyzer incrementally; during a
 * repair, shows each section's replacement in place as it streams, and moves to each new version.
 */
export function useDocumentStream(initial: PublicDocument): DocumentStreamState {
  const initialLatest = latestOf(initial);
  const { text: passText, append, reset } = useFrameCoalescedText(initialLatest ? "" : initial.markdown, { minIntervalMs: LIVE_COMMIT_INTERVAL_MS });
  const [status, setStatus] = useState<DocumentStatus>(initial.status);
  const [error, setError] = useState<string | null>(initial.error);
  const [updatedAt, setUpdatedAt] = useState(initial.updatedAt);
  const [connection, setConnection] = useState<ConnectionState>("idle");
  const [typecheck, setTypecheck] = useState<TypecheckResult | null>(initial.typecheck);
  const [latest, setLatest] = useState<Latest>(initialLatest);
  const [repair, setRepair] = useState<RepairRecord | null>(initial.repair);
  const [drafts, setDrafts] = useState<ReadonlyMap<number, SectionDraft>>(new Map());
  const [session, setSession] = useState(0);
  const [passVersion, setPassVersion] = useState(initial.passVersion);
  // Mutable by design: it folds every delta as it arrives; replaced wholesale on restart and on a new version.
  const [analyzer, setAnalyzer] = useState(() => analyzerFor(initial.markdown));
  /** Length of the text channel received so far (ahead of the committed frame). */
  const received = useRef(initialLatest ? 0 : initial.markdown.length);
  const hasLatest = useRef(initialLatest !== null);
  /** Replacement text arrives at model speed: held here, committed with the next frame of text. */
  const pendingDrafts = useRef(new Map<number, SectionDraft>());
  const draftTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const moveTo = useCallback((next: Latest) => {
    hasLatest.current = next !== null;
    setLatest(next);
    if (next) setAnalyzer(analyzerFor(next.markdown));
  }, []);

  const clearDrafts = useCallback(() => {
    pendingDrafts.current = new Map();
    if (draftTimer.current) clearTimeout(draftTimer.current);
    draftTimer.current = null;
    setDrafts(new Map());
  }, []);

  const settle = useCallback(
    (document: PublicDocument) => {
      if (isRunningStatus(document.status)) return;
      const next = latestOf(document);
      if (next) moveTo(next);
      else if (document.markdown.length !== received.current || hasLatest.current) {
        moveTo(null);
        setAnalyzer(analyzerFor(document.markdown));
        received.current = document.markdown.length;
        reset(document.markdown);
      }
      clearDrafts();
      setPassVersion(document.passVersion);
      setRepair(document.repair);
      if (document.typecheck) setTypecheck(document.typecheck);
      setError(document.error);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
    },
    [reset, moveTo, clearDrafts],
  );

  const running = isRunningStatus(status);
  useEffect(() => {
    if (!running) return;
    const follower = followDocumentStream({
      url: (from) => `${documentApiPath(initial.id, "stream")}?from=${from}`,
      received: received.current,
      createSource: (url) => new EventSource(url),
      onText: (delta) => {
        received.current += delta.length;
        if (hasLatest.current) return; // the first pass of a document already repaired: not shown
        analyzer.push(delta);
        append(delta);
      },
      onEnd: (end) => {
        setError(end.error);
        setUpdatedAt(new Date().toISOString());
        setStatus(end.status);
        clearDrafts();
        // An end for a version this page has not seen (or a stop): the stored state is the truth.
        void fetchDocument(initial.id).then(settle, () => {});
      },
      onChecks: setTypecheck,
      onRepair: (record) => {
        setRepair(record);
        if (record.status === "running") setStatus("repairing");
      },
      onSectionText: (number, round, text) => {
        pendingDrafts.current.set(number, { round, text });
        draftTimer.current ??= setTimeout(() => {
          draftTimer.current = null;
          setDrafts(new Map(pendingDrafts.current));
        }, LIVE_COMMIT_INTERVAL_MS);
      },
      onVersion: (event) => {
        moveTo({ version: event.version.version, markdown: event.markdown });
        clearDrafts(); // the round's accepted replacements are in the new version
      },
      onConnection: setConnection,
      settleFromServer: async () => {
        const document = await fetchDocument(initial.id);
        if (isRunningStatus(document.status)) return false;
        settle(document);
        return true;
      },
    });
    return () => follower.stop();
    // `session` restarts the subscription after Continue/Retry/Repair.
  }, [initial.id, running, session, append, analyzer, settle, moveTo, clearDrafts]);

  const restart = useCallback(
    (document: PublicDocument) => {
      const next = latestOf(document);
      moveTo(next);
      const pass = next ? "" : document.markdown;
      if (!next) setAnalyzer(analyzerFor(pass));
      received.current = pass.length;
      reset(pass);
      clearDrafts();
      setRepair(document.repair);
      setTypecheck(document.typecheck);
      setError(null);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
      setPassVersion(document.passVersion);
      setSession((value) => value + 1);
    },
    [reset, moveTo, clearDrafts],
  );

  const base = latest?.markdown ?? passText;
  // Reports follow the text the analyzer holds: the pass while it streams, else the current version.
  const final = status !== "generating";
  // The analyzer folds deltas as they arrive; a report is taken once per committed frame of text.
  // A type check made for other text is ignored by the analyzer (checking… until the right one arrives).
  const report = useMemo(() => analyzer.report({ final, typecheck: typecheck ?? undefined }), [analyzer, base, final, typecheck]); // eslint-disable-line react-hooks/exhaustive-deps
  const text = useMemo(() => showRepairsInPlace(base, report, repair, drafts), [base, report, repair, drafts]);

  return { text, report, typecheck, status, error, connection, updatedAt, version: latest?.version ?? passVersion, repair, restart, settle };
}
