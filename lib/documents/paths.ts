/** Where a document lives, for the server and the browser alike: the one place these paths are built. */

/** The permalink page. */
export function documentPath(id: string): string {
  return `/d/${encodeURIComponent(id)}`;
}

export type DocumentAction = "cancel" | "continue" | "retry" | "repair";

/** The HTTP API of one document: its JSON, its event stream, its download, its versions, its actions. */
export function documentApiPath(id: string, resource?: "stream" | "markdown" | "versions" | DocumentAction): string {
  const base = `/api/documents/${encodeURIComponent(id)}`;
  return resource ? `${base}/${resource}` : base;
}

/** Repair one section by hand. */
export function sectionRepairPath(id: string, section: number): string {
  return `${documentApiPath(id)}/sections/${section}/repair`;
}

/** The download of one version (the latest without `version`). */
export function markdownPath(id: string, version?: number): string {
  const path = documentApiPath(id, "markdown");
  return version === undefined ? path : `${path}?version=${version}`;
}

/** Parallel mode: writes one section again (POST). */
export function sectionRetryPath(id: string, section: number): string {
  return `${documentApiPath(id)}/sections/${section}/retry`;
}

/** A well-formed id (128 random bits, base64url) is the only thing worth a database lookup. */
export function isDocumentId(id: string): boolean {
  return /^[A-Za-z0-9_-]{16,64}$/.test(id);
}
