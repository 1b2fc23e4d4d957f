"use client";

import Link from "next/link";
import { useMemo, useSyncExternalStore } from "react";
import { documentPath } from "@/lib/client/studio-api";
import { parseRecentDocuments, RECENT_DOCUMENTS_KEY } from "./recent-documents-storage";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  return () => window.removeEventListener("storage", onChange);
}

/** The documents this browser created (nothing on the server lists them). */
export function RecentDocuments() {
  const raw = useSyncExternalStore(
    subscribe,
    () => localStorage.getItem(RECENT_DOCUMENTS_KEY),
    () => null,
  );
  const documents = useMemo(() => parseRecentDocuments(raw), [raw]);
  if (!documents.length) return null;
  return (
    <section id="recent">
      <h2>Your recent documents</h2>
      <ul className="doc-list" data-testid="recent-documents">
        {documents.map((document) => (
          <li key={document.id}>
            <Link href={documentPath(document.id)}>{document.topic}</Link>
            <span className="hint">{new Date(document.createdAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
