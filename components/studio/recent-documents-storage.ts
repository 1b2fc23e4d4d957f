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
