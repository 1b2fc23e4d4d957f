"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { readRecentDocuments, type RecentDocument } from "./recent-documents-storage";

export function RecentDocuments() {
  const [documents, setDocuments] = useState<RecentDocument[] | null>(null);
  useEffect(() => setDocuments(readRecentDocuments()), []);
  if (!documents?.length) return null;
  return (
    <section id="recent">
      <h2>Your recent documents</h2>
      <ul className="doc-list" data-testid="recent-documents">
        {documents.map((document) => (
          <li key={document.id}>
            <Link href={`/d/${document.id}`}>{document.topic}</Link>
            <span className="hint">{new Date(document.createdAt).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
