import type { CreateDocumentResult } from "./create-document";
import { documentPath } from "./paths";
import { topicSlug } from "./topic";
import type { DesignDocument } from "./types";

/** The public JSON of a document (GET /api/documents/{id}); internal keys stay on the server. */
export function presentDocument(document: DesignDocument) {
  return {
    id: document.id,
    url: documentPath(document.id),
    topic: document.topic,
    status: document.status,
    markdown: document.markdown,
    model: document.model,
    promptVersion: document.promptVersion,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    error: document.error,
    continuations: document.continuations,
    history: document.history,
    satisfied: document.report?.satisfied ?? null,
    sections: document.report?.sections ?? null,
    rules: document.report?.rules ?? null,
  };
}

export type PublicDocument = ReturnType<typeof presentDocument>;

/** The answer to POST /api/documents. */
export function presentCreation(result: CreateDocumentResult) {
  const { document } = result;
  return {
    id: document.id,
    url: documentPath(document.id),
    status: document.status,
    model: document.model,
    coalesced: result.outcome === "coalesced",
    alreadyGenerated: result.outcome === "already_generated",
  };
}

export type PublicCreation = ReturnType<typeof presentCreation>;

export function markdownFileName(topic: string): string {
  return `${topicSlug(topic)}.md`;
}
