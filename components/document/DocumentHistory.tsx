import type { HistoryEntry } from "@/lib/documents/types";

/** What happened to the document on the way (automatic retries and continuations), folded away. */
export function DocumentHistory({ entries }: { entries: readonly HistoryEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <details className="document-history" data-testid="document-history">
      <summary>History: {entries.length === 1 ? "1 automatic recovery" : `${entries.length} automatic recoveries`}</summary>
      <ol>
        {entries.map((entry) => (
          <li key={`${entry.at}-${entry.kind}`} data-kind={entry.kind}>
            <time dateTime={entry.at}>{new Date(entry.at).toISOString().slice(11, 19)} UTC</time> {entry.message}
          </li>
        ))}
      </ol>
    </details>
  );
}
