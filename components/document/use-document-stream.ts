"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { throttledFrames } from "@/components/markdown/frame-coalescer";
import { useFrameCoalescedText } from "@/components/markdown/use-frame-coalesced-text";
import { documentApiPath, fetchDocument, type PublicDocument } from "@/lib/client/studio-api";
import type { Outline, ParallelProgress } from "@/lib/documents/section-parts";
import { isRunningStatus, type DocumentStatus } from "@/lib/documents/types";
import type { SectionStateEvent } from "@/lib/events/document-events";
import type { RepairRecord } from "@/lib/repair/record";
import { IncrementalSectionAnalyzer, type SectionReport } from "@/lib/sections/analyzer";
import { PartsSectionAnalysis, type PartView } from "@/lib/sections/parts-report";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { followDocumentStream, type ConnectionState } from "./document-stream-follower";
import { showRepairsInPlace, type SectionDraft } from "./repairs-in-place";

export type { ConnectionState } from "./document-stream-follower";

/** Live text is committed about 10 times a second: each commit re-renders tail, sidebar and status. */
const LIVE_COMMIT_INTERVAL_MS = 100;

/** A part of a parallel document as the page shows it. */
export interface LivePart extends PartView {
  error: string | null;
}

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
  /** The document's model tokens so far (all requests). */
  tokens: { inputTokens: number; outputTokens: number };
  /** Parallel mode: every part, in document order, as received (null in single mode). */
  parts: LivePart[] | null;
  outline: Outline | null;
  /** Restart with the state the server answered after Continue, Retry, a section's retry or a repair. */
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

const partKey = (section: number, part: number) => `${section}.${part}`;

/** The parts as the document and (on the server-rendered page) their texts give them. */
function initialParts(document: PublicDocument, texts: ParallelProgress | null | undefined, previous?: Map<string, LivePart>): Map<string, LivePart> {
  const parts = new Map<string, LivePart>();
  for (const part of document.parts ?? []) {
    const key = partKey(part.section, part.part);
    const known = texts?.parts.find((candidate) => candidate.section === part.section && candidate.part === part.part)?.text ?? previous?.get(key)?.text ?? "";
    // What the server holds for this start is what counts: a part written again starts empty.
    const text = known.slice(0, part.length);
    parts.set(key, { section: part.section, part: part.part, parts: part.parts, state: part.state, error: part.error, text });
  }
  return parts;
}

const sortedParts = (parts: Map<string, LivePart>) => [...parts.values()].sort((a, b) => a.section - b.section || a.part - b.part).map((part) => ({ ...part }));
/**
 * Follows a document's event stream (see document-stream-follower.ts): appends the first pass
 * (committed about 10 times a second) and feeds the section analyzer incrementally. In parallel
 * mode every part fills in on its own channel at once, and the sidebar analyzes each section on
 * its own text while the document is written. During a repair (after either mode's first pass),
 * each section's replacement shows in place as it streams, and the page moves to each new version.
 */
export function useDocumentStream(initial: PublicDocument, initialParallel?: ParallelProgress | null): DocumentStreamState {
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
  const [tokens, setTokens] = useState({ inputTokens: initial.inputTokens, outputTokens: initial.outputTokens });
  const [outline, setOutline] = useState<Outline | null>(initial.outline);
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
  // Parallel mode: the parts as received (ahead of the committed frame), and the committed copy.
  const [firstParts] = useState(() => initialParts(initial, initialParallel));
  const liveParts = useRef<Map<string, LivePart>>(firstParts);
  const [parts, setParts] = useState<LivePart[]>(() => sortedParts(firstParts));
  const [partsAnalysis, setPartsAnalysis] = useState(() => new PartsSectionAnalysis());
  const [commitParts] = useState(() => {
    const schedule = throttledFrames(LIVE_COMMIT_INTERVAL_MS);
    let cancel: (() => void) | null = null;
    return {
      request: () => {
        cancel ??= schedule(() => {
          cancel = null;
          setParts(sortedParts(liveParts.current));
        });
      },
      now: () => {
        cancel?.();
        cancel = null;
        setParts(sortedParts(liveParts.current));
      },
    };
  });
  const parallel = initial.mode === "parallel";

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
      setTokens({ inputTokens: document.inputTokens, outputTokens: document.outputTokens });
      liveParts.current = initialParts(document, null, liveParts.current);
      commitParts.now();
      setError(document.error);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
    },
    [reset, moveTo, clearDrafts, commitParts],
  );

  const running = isRunningStatus(status);
  useEffect(() => {
    if (!running) return;
    const follower = followDocumentStream({
      url: (from) => `${documentApiPath(initial.id, "stream")}?from=${from}`,
      received: received.current,
      parts: new Map([...liveParts.current].map(([key, part]) => [key, part.text.length])),
      createSource: (url) => new EventSource(url),
      onText: (delta) => {
        received.current += delta.length;
        if (hasLatest.current) return; // the first pass of a document already repaired: not shown
        analyzer.push(delta);
        append(delta);
      },
      onSectionText: (section, part, delta) => {
        const key = partKey(section, part);
        const current = liveParts.current.get(key) ?? { section, part, parts: 1, state: "writing", error: null, text: "" };
        liveParts.current.set(key, { ...current, text: current.text + delta });
        commitParts.request();
      },
      onSectionState: (event: SectionStateEvent) => {
        const key = partKey(event.section, event.part);
        const current = liveParts.current.get(key);
        liveParts.current.set(key, { section: event.section, part: event.part, parts: event.parts, state: event.state, error: event.error, text: current?.text ?? "" });
        commitParts.request();
      },
      onOutline: setOutline,
      onTokens: (inputTokens, outputTokens) => setTokens({ inputTokens, outputTokens }),
      onEnd: (end) => {
        commitParts.now();
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
      onRepairText: (number, round, text) => {
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
  }, [initial.id, running, session, append, analyzer, settle, moveTo, clearDrafts, commitParts]);

  const restart = useCallback(
    (document: PublicDocument) => {
      const next = latestOf(document);
      moveTo(next);
      const pass = next ? "" : document.markdown;
      if (!next) setAnalyzer(analyzerFor(pass));
      setPartsAnalysis(new PartsSectionAnalysis());
      received.current = pass.length;
      reset(pass);
      clearDrafts();
      setRepair(document.repair);
      liveParts.current = initialParts(document, null, liveParts.current);
      commitParts.now();
      setOutline(document.outline);
      setTypecheck(document.typecheck);
      setError(null);
      setUpdatedAt(document.updatedAt);
      setStatus(document.status);
      setPassVersion(document.passVersion);
      setSession((value) => value + 1);
    },
    [reset, moveTo, clearDrafts, commitParts],
  );

  const base = latest?.markdown ?? passText;
  // Reports follow the text the analyzer holds: the pass while it streams, else the current version.
  const final = status !== "generating";
  // The analyzer folds deltas as they arrive; a report is taken once per committed frame of text.
  // A type check made for other text is ignored by the analyzer (checking… until the right one arrives).
  const report = useMemo(() => {
    const whole = analyzer.report({ final, typecheck: typecheck ?? undefined });
    // While a parallel document is written, each section is judged on its own text.
    return parallel && !final && parts.length > 0 ? partsAnalysis.report(parts, whole.rules) : whole;
  }, [analyzer, partsAnalysis, base, final, typecheck, parallel, parts]); // eslint-disable-line react-hooks/exhaustive-deps
  const text = useMemo(() => showRepairsInPlace(base, report, repair, drafts), [base, report, repair, drafts]);

  return {
    text,
    report,
    typecheck,
    status,
    error,
    connection,
    updatedAt,
    version: latest?.version ?? passVersion,
    repair,
    tokens,
    parts: parallel ? parts : null,
    outline,
    restart,
    settle,
  };
}
