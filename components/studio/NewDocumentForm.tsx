"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { problemText } from "@/components/document/pending-action";
import { createDocument, StudioApiError, type PublicCreation } from "@/lib/client/studio-api";
import type { GenerationMode } from "@/lib/documents/generation-mode";
import { MAX_TOPIC_LENGTH } from "@/lib/documents/types";
import { rememberDocument } from "./recent-documents-storage";

export interface ModelOption {
  id: string;
  label: string;
}

interface NewDocumentFormProps {
  models: ModelOption[];
  suggestions: string[];
  demo: boolean;
  /** The mode offered first (GENERATION_MODE); null: no choice (the demo streams whole examples). */
  defaultMode: GenerationMode | null;
}

const MODE_LABELS: Record<GenerationMode, string> = {
  single: "Single stream",
  parallel: "Parallel sections (faster)",
};

/** Topic in, permalink out: the generation runs on the server, the page follows it at /d/{id}. */
export function NewDocumentForm({ models, suggestions, demo, defaultMode }: NewDocumentFormProps) {
  const router = useRouter();
  const [topic, setTopic] = useState("");
  const topicInput = useRef<HTMLInputElement>(null);
  // A topic typed before the page hydrated is in the field but never reached React's state (no
  // change event was heard), which left Generate disabled with a filled field. Take it up once.
  useEffect(() => {
    const typedBeforeHydration = topicInput.current?.value ?? "";
    if (typedBeforeHydration) setTopic(typedBeforeHydration);
  }, []);
  const [model, setModel] = useState(models[0]?.id ?? "");
  const [mode, setMode] = useState<GenerationMode | null>(defaultMode);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [existing, setExisting] = useState<PublicCreation | null>(null);

  const submit = async (fresh: boolean) => {
    setPending(true);
    setProblem(null);
    setExisting(null);
    try {
      const created = await createDocument({ topic, model: model || undefined, fresh: fresh || undefined, mode: mode ?? undefined });
      if (created.alreadyGenerated) {
        setExisting(created);
        return;
      }
      rememberDocument({ id: created.id, topic: topic.trim(), createdAt: new Date().toISOString() });
      router.push(created.url);
    } catch (error) {
      setProblem(error instanceof StudioApiError ? error.message : `Could not reach the server: ${problemText(error)}`);
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className="create-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
    >
      <label htmlFor="topic">System-design topic</label>
      <div className="create-row">
        <input
          ref={topicInput}
          id="topic"
          name="topic"
          type="text"
          list="topic-suggestions"
          placeholder={suggestions[0] ? `e.g. ${suggestions[0]}` : "e.g. Rate Limiting"}
          value={topic}
          maxLength={MAX_TOPIC_LENGTH}
          onChange={(event) => setTopic(event.target.value)}
          autoComplete="off"
          required
        />
        {models.length > 1 ? (
          <select aria-label="Model" value={model} onChange={(event) => setModel(event.target.value)}>
            {models.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        ) : null}
        {mode !== null ? (
          <select aria-label="Generation mode" data-testid="mode-select" value={mode} onChange={(event) => setMode(event.target.value as GenerationMode)}>
            {(Object.keys(MODE_LABELS) as GenerationMode[]).map((option) => (
              <option key={option} value={option}>
                {MODE_LABELS[option]}
              </option>
            ))}
          </select>
        ) : null}
        <button type="submit" className="button button-primary" disabled={pending || !topic.trim()}>
          {pending ? "Starting…" : demo ? "Generate (demo)" : "Generate"}
        </button>
      </div>
      <datalist id="topic-suggestions">
        {suggestions.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
      <div className="suggestions" aria-label="Suggested topics">
        {suggestions.map((suggestion) => (
          <button key={suggestion} type="button" onClick={() => setTopic(suggestion)}>
            {suggestion}
          </button>
        ))}
      </div>
      {models.length === 1 ? <p className="hint">Model: {models[0]?.label}</p> : null}
      {problem ? (
        <div className="alert alert-error" role="alert" data-testid="create-error">
          {problem}
        </div>
      ) : null}
      {existing ? (
        <div className="alert alert-info" role="status" data-testid="already-generated">
          A document for this topic was already generated with this model, prompt and mode.{" "}
          <a href={existing.url} onClick={() => rememberDocument({ id: existing.id, topic: topic.trim(), createdAt: new Date().toISOString() })}>
            Open it
          </a>{" "}
          or{" "}
          <button type="button" className="button" onClick={() => void submit(true)} disabled={pending}>
            Generate a fresh one
          </button>
        </div>
      ) : null}
    </form>
  );
}
