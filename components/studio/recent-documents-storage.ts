/**
 * The documents this browser created, kept in localStorage. Permalinks are unguessable, so the
 * server never lists documents to everyone; each browser remembers its own.
 */
export interface RecentDocument {
  id: string;
  topic: string;
  createdAt: string;
}

const KEY = "design-doc-studio.recent";
const LIMIT = 30;

export function readRecentDocuments(): RecentDocument[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(parsed)
      ? parsed.filter((item): item is RecentDocument => typeof item?.id === "string" && typeof item?.topic === "string").slice(0, LIMIT)
      : [];
  } catch {
    return [];
  }
}

export function rememberDocument(document: RecentDocument): void {
  try {
    const rest = readRecentDocuments().filter((item) => item.id !== document.id);
    localStorage.setItem(KEY, JSON.stringify([document, ...rest].slice(0, LIMIT)));
  } catch {
    // Private mode or storage full: history is a convenience, not worth failing for.
  }
}
