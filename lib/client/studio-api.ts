/**
 * The browser's client of the studio's HTTP API: the one place that posts JSON, reads the error
 * shape and builds document paths. Response types come from the server's presenter.
 */
import { editTokenFor, rememberEditToken } from "@/components/studio/recent-documents-storage";
import type { GenerationMode } from "@/lib/documents/generation-mode";
import { documentApiPath, markdownPath, sectionRepairPath, sectionRetryPath, type DocumentAction } from "@/lib/documents/paths";
import type { PublicCreation, PublicDocument } from "@/lib/documents/present";
import type { DocumentVersionSummary } from "@/lib/documents/versions";

export { documentApiPath, documentPath, markdownPath } from "@/lib/documents/paths";
export type { PublicCreation, PublicDocument, DocumentVersionSummary };

/** A refusal from the server, with its message meant for people. */
export class StudioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = "StudioApiError";
  }
}

async function readResponse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
  if (!response.ok || body === null) {
    throw new StudioApiError(response.status, body?.error?.code ?? null, body?.error?.message ?? `The server answered ${response.status}.`);
  }
  return body;
}

/** The header that proves this browser created a document (see lib/http/requester.ts). */
const EDIT_TOKEN_HEADER = "X-Edit-Token";

/** This browser's edit token for a document, as a header, if it created the document. */
function editHeaders(id: string): Record<string, string> {
  const token = editTokenFor(id);
  return token ? { [EDIT_TOKEN_HEADER]: token } : {};
}

/** POSTs a JSON body (or none) and returns the parsed answer; a non-2xx answer throws StudioApiError. */
export async function postJson<T>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit =
    body === undefined ? { method: "POST", headers } : { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) };
  return readResponse<T>(await fetch(path, init));
}

/** Creates a document; the edit token of a new one is kept in this browser, which makes it the creator. */
export async function createDocument(input: { topic: string; model?: string; fresh?: boolean; mode?: GenerationMode }): Promise<PublicCreation> {
  const created = await postJson<PublicCreation>("/api/documents", input);
  if (created.editToken) rememberEditToken(created.id, created.editToken);
  return created;
}

export function documentAction(id: string, action: DocumentAction): Promise<PublicDocument> {
  return postJson<PublicDocument>(documentApiPath(id, action), undefined, editHeaders(id));
}

/** Parallel mode: writes one section of a stopped document again, keeping the others. */
export function retryDocumentSection(id: string, section: number): Promise<PublicDocument> {
  return postJson<PublicDocument>(sectionRetryPath(id, section), undefined, editHeaders(id));
}

/** Deletes a document this browser created (or any, when signed in with the access token). */
export async function deleteDocument(id: string): Promise<void> {
  const response = await fetch(documentApiPath(id), { method: "DELETE", headers: editHeaders(id) });
  if (!response.ok) await readResponse<never>(response);
}

export async function fetchDocument(id: string): Promise<PublicDocument> {
  return readResponse<PublicDocument>(await fetch(documentApiPath(id), { cache: "no-store" }));
}

/** Repairs one section by hand (the document starts `repairing`); like every action, with this browser's edit token. */
export function repairSection(id: string, section: number): Promise<PublicDocument> {
  return postJson<PublicDocument>(sectionRepairPath(id, section), undefined, editHeaders(id));
}

export async function fetchVersions(id: string): Promise<DocumentVersionSummary[]> {
  const body = await readResponse<{ versions: DocumentVersionSummary[] }>(await fetch(documentApiPath(id, "versions"), { cache: "no-store" }));
  return body.versions;
}

/** The text of one version. */
export async function fetchVersionMarkdown(id: string, version: number): Promise<string> {
  const response = await fetch(markdownPath(id, version), { cache: "no-store" });
  if (!response.ok) await readResponse(response);
  return response.text();
}
