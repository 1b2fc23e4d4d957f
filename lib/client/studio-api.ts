/**
 * The browser's client of the studio's HTTP API: the one place that posts JSON, reads the error
 * shape and builds document paths. Response types come from the server's presenter.
 */
import { documentApiPath, type DocumentAction } from "@/lib/documents/paths";
import type { PublicCreation, PublicDocument } from "@/lib/documents/present";

export { documentApiPath, documentPath } from "@/lib/documents/paths";
export type { PublicCreation, PublicDocument };

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

/** POSTs a JSON body (or none) and returns the parsed answer; a non-2xx answer throws StudioApiError. */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit =
    body === undefined ? { method: "POST" } : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  return readResponse<T>(await fetch(path, init));
}

export function createDocument(input: { topic: string; model?: string; fresh?: boolean }): Promise<PublicCreation> {
  return postJson<PublicCreation>("/api/documents", input);
}

export function documentAction(id: string, action: DocumentAction): Promise<PublicDocument> {
  return postJson<PublicDocument>(documentApiPath(id, action), undefined);
}

export async function fetchDocument(id: string): Promise<PublicDocument> {
  return readResponse<PublicDocument>(await fetch(documentApiPath(id), { cache: "no-store" }));
}
