/**
 * The documents this browser created, kept in localStorage. Permalinks are unguessable, so the
 * server never lists documents to everyone; each browser remembers its own.
 */
export interface RecentDocument {
  id: string;
  topic: string;
  createdAt: string;
}

export const RECENT_DOCUMENTS_KEY = "design-doc-studio.recent";
const LIMIT = 30;

export function parseRecentDocuments(raw: string | null): RecentDocument[] {
  try {
    const parsed: unknown = JSON.parse(raw ?? "[]");
    return Array.isArray(parsed)
      ? parsed.filter((item): item is RecentDocument => typeof item?.id === "string" && typeof item?.topic === "string").slice(0, LIMIT)
      : [];
  } catch {
    return [];
  }
}

export function rememberDocument(document: RecentDocument): void {
  try {
    const rest = parseRecentDocuments(localStorage.getItem(RECENT_DOCUMENTS_KEY)).filter((item) => item.id !== document.id);
    localStorage.setItem(RECENT_DOCUMENTS_KEY, JSON.stringify([document, ...rest].slice(0, LIMIT)));
  } catch {
    // Private mode or storage full: history is a convenience, not worth failing for.
  }
}

/**
 * Edit tokens of the documents this browser created: the proof, sent with Stop, Continue, Retry
 * and Delete, that this browser is the creator. Kept apart from the recent list (and longer), so
 * trimming the list does not take the right to change a document away.
 */
export const EDIT_TOKENS_KEY = "design-doc-studio.edit-tokens";
const EDIT_TOKEN_LIMIT = 500;

function readEditTokens(): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(EDIT_TOKENS_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((entry): entry is [string, string] => Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "string") : [];
  } catch {
    return [];
  }
}

export function rememberEditToken(id: string, token: string): void {
  try {
    const rest = readEditTokens().filter(([known]) => known !== id);
    localStorage.setItem(EDIT_TOKENS_KEY, JSON.stringify([[id, token], ...rest].slice(0, EDIT_TOKEN_LIMIT)));
  } catch {
    // Private mode or storage full: the document can still be read; only changing it needs the token.
  }
}

export function editTokenFor(id: string): string | undefined {
  if (typeof localStorage === "undefined") return undefined;
  return readEditTokens().find(([known]) => known === id)?.[1];
}

export function forgetDocument(id: string): void {
  try {
    localStorage.setItem(RECENT_DOCUMENTS_KEY, JSON.stringify(parseRecentDocuments(localStorage.getItem(RECENT_DOCUMENTS_KEY)).filter((item) => item.id !== id)));
    localStorage.setItem(EDIT_TOKENS_KEY, JSON.stringify(readEditTokens().filter(([known]) => known !== id)));
  } catch {
    // as above
  }
}
