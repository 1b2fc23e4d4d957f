import type { DesignDocument } from "./types";

export const documentUrl = (id: string) => `/d/${id}`;

/** The public JSON of a document (GET /api/documents/{id}); internal keys stay on the server. */
export function presentDocument(document: DesignDocument) {
  return {
    id: document.id,
    url: documentUrl(document.id),
    topic: document.topic,
    status: document.status,
    markdown: document.markdown,
    model: document.model,
    promptVersion: document.promptVersion,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    error: document.error,
    continuations: document.continuations,
    satisfied: document.report?.satisfied ?? null,
    sections: document.report?.sections ?? null,
    rules: document.report?.rules ?? null,
  };
}

export type PublicDocument = ReturnType<typeof presentDocument>;

/** A well-formed id is the only thing worth a database lookup. */
export function isDocumentId(id: string): boolean {
  return /^[A-Za-z0-9_-]{16,64}$/.test(id);
}
