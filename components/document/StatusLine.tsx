"use client";

import { useSyncExternalStore } from "react";
import type { GenerationMode } from "@/lib/documents/generation-mode";
import { isRunningStatus, type DocumentStatus } from "@/lib/documents/types";
import type { ConnectionState } from "./use-document-stream";

interface StatusLineProps {
  status: DocumentStatus;
  connection: ConnectionState;
  characters: number;
  model: string;
  modelLabel: string;
  createdAt: string;
  updatedAt: string;
  continuations: number;
  mode: GenerationMode;
  /** The document's model tokens, all requests. */
  tokens: { inputTokens: number; outputTokens: number };
}

function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes ? `${minutes}m ${String(seconds).padStart(2, "0")}s` : `${seconds}s`;
}

function subscribeToClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, 1_000);
  return () => clearInterval(timer);
}

/** Whole seconds, so the snapshot is stable between ticks; null while rendering on the server. */
function useSecondsClock(ticking: boolean): number | null {
  return useSyncExternalStore(
    ticking ? subscribeToClock : subscribeNever,
    () => Math.floor(Date.now() / 1000) * 1000,
    () => null,
  );
}

const subscribeNever = () => () => {};

/** Status, elapsed time and throughput; ticks every second while generating. */
export function StatusLine(props: StatusLineProps) {
  const generating = isRunningStatus(props.status);
  const now = useSecondsClock(generating);

  const started = Date.parse(props.createdAt);
  const ended = generating ? (now ?? started) : Date.parse(props.updatedAt);
  const elapsedMs = Math.max(ended - started, 1);
  const rate = props.characters / (elapsedMs / 1000);

  return (
    <div className="status-line" data-testid="status-line">
      <span>
        Status:{" "}
        <strong className={`status-badge status-${props.status}`} data-testid="document-status">
          {props.status}
        </strong>
      </span>
      {generating && props.connection === "reconnecting" ? <span data-testid="connection-state">reconnecting…</span> : null}
      <span>
        Elapsed: <strong data-testid="elapsed">{now === null && generating ? "–" : formatElapsed(elapsedMs)}</strong>
      </span>
      <span>
        <strong data-testid="char-count">{props.characters.toLocaleString("en-US")}</strong> characters
        {now !== null || !generating ? ` · ${Math.round(rate).toLocaleString("en-US")} chars/s` : ""}
      </span>
      <span>
        Model: <strong data-testid="document-model">{props.modelLabel}</strong>
      </span>
      <span>
        Mode: <strong data-testid="document-mode">{props.mode === "parallel" ? "parallel sections" : "single stream"}</strong>
      </span>
      {props.tokens.inputTokens + props.tokens.outputTokens > 0 ? (
        <span data-testid="token-count" title={`${props.tokens.inputTokens.toLocaleString("en-US")} input + ${props.tokens.outputTokens.toLocaleString("en-US")} output tokens`}>
          Tokens: <strong>{(props.tokens.inputTokens + props.tokens.outputTokens).toLocaleString("en-US")}</strong> ({props.tokens.inputTokens.toLocaleString("en-US")} in ·{" "}
          {props.tokens.outputTokens.toLocaleString("en-US")} out)
        </span>
      ) : null}
      {props.continuations > 0 ? <span>{props.continuations} automatic continuation(s)</span> : null}
    </div>
  );
}
