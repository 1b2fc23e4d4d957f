/** Where a document lives, for the server and the browser alike: the one place these paths are built. */

/** The permalink page. */
export function documentPath(id: string): string {
  return `/d/${encodeURIComponent(id)}`;
}

export type DocumentAction = "cancel" | "continue" | "retry";

/** The HTTP API of one document: its JSON, its event stream, its download, its actions. */
export function documentApiPath(id: string, resource?: "stream" | "markdown" | DocumentAction): string {
  const base = `/api/documents/${encodeURIComponent(id)}`;
  return resource ? `${base}/${resource}` : base;
}

/** Parallel mode: writes one section again (POST). */
export function sectionRetryPath(id: string, section: number): string {
  return `${documentApiPath(id)}/sections/${section}/retry`;
}

/** A well-formed id (128 random bits, base64url) is the only thing worth a database lookup. */
export function isDocumentId(id: string): boolean {
  return /^[A-Za-z0-9_-]{16,64}$/.test(id);
}
