"use client";

import { useEffect, useMemo, useState } from "react";
import { problemText } from "@/components/document/pending-action";
import { fetchVersionMarkdown, fetchVersions, markdownPath, type DocumentVersionSummary } from "@/lib/client/studio-api";
import { sectionDiff } from "./section-diff";

interface VersionHistoryProps {
  id: string;
  /** The document's current version: the list is fetched again when it changes. */
  version: number;
  /** The text of the version being looked at (null: the current one), for the preview. */
  onView(view: { version: number; markdown: string } | null): void;
}

/**
 * The versions of a document (the first pass, each accepted repair round, each Retry): pick one
 * to read it and to see, section by section, what changed since the version before it.
 */
export function VersionHistory({ id, version, onView }: VersionHistoryProps) {
  const [versions, setVersions] = useState<DocumentVersionSummary[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [texts, setTexts] = useState<{ version: number; markdown: string; previous: string | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetchVersions(id).then(
      (list) => live && setVersions(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  const shown = selected ?? version;
  useEffect(() => {
    if (versions.length < 2 && selected === null) return;
    let live = true;
    const previous = versions.filter((entry) => entry.version < shown).at(-1)?.version ?? null;
    Promise.all([fetchVersionMarkdown(id, shown), previous === null ? Promise.resolve(null) : fetchVersionMarkdown(id, previous)]).then(
      ([markdown, before]) => {
        if (!live) return;
        setTexts({ version: shown, markdown, previous: before });
        setProblem(null);
      },
      (error: unknown) => live && setProblem(problemText(error)),
    );
    return () => {
      live = false;
    };
  }, [id, shown, versions, selected]);

  const diff = useMemo(() => (texts?.previous != null ? sectionDiff(texts.previous, texts.markdown).filter((entry) => entry.change !== "unchanged") : null), [texts]);
  if (versions.length < 2) return null;
  const previous = versions.filter((entry) => entry.version < shown).at(-1);

  const choose = (value: number) => {
    const latest = value === versions.at(-1)?.version;
    setSelected(latest ? null : value);
    if (latest) onView(null);
    else void fetchVersionMarkdown(id, value).then((markdown) => onView({ version: value, markdown }), () => {});
  };

  return (
    <section className="version-history" data-testid="version-history" aria-label="Versions">
      <label>
        Version{" "}
        <select data-testid="version-picker" value={shown} onChange={(event) => choose(Number(event.target.value))}>
          {versions.map((entry) => (
            <option key={entry.version} value={entry.version}>
              {entry.version}. {entry.reason}
              {entry.satisfied === null ? "" : ` — ${entry.satisfied}/12`}
              {entry.version === versions.at(-1)?.version ? " (latest)" : ""}
            </option>
          ))}
        </select>
      </label>{" "}
      {selected !== null ? (
        <a className="button" href={markdownPath(id, selected)} download data-testid="version-download">
          Download version {selected}
        </a>
      ) : null}
      {problem ? <p role="alert">{problem}</p> : null}
      {diff && previous ? (
        <details className="version-diff" data-testid="version-diff" open>
          <summary>
            Changes from version {previous.version}: {diff.length === 0 ? "none" : diff.map((entry) => `section ${entry.number} ${entry.change}`).join(", ")}
          </summary>
          {diff.map((entry) => (
            <div key={entry.number} className="version-diff-section" data-testid={`diff-section-${entry.number}`} data-change={entry.change}>
              <h4>
                {entry.number}. {entry.title} — {entry.change} (+{entry.added} −{entry.removed} lines)
              </h4>
              {/* Scrolls sideways and down: focusable, so it scrolls from the keyboard too (as code frames do). */}
              <pre tabIndex={0} aria-label={`Changes in section ${entry.number}`}>
                {entry.lines.map((line, index) => (
                  <span key={index} className={`diff-line diff-line--${line.kind}`}>
                    {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
                    {line.text}
                    {"\n"}
                  </span>
                ))}
              </pre>
            </div>
          ))}
        </details>
      ) : null}
    </section>
  );
}
