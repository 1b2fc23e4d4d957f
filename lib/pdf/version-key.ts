import { createHash } from "node:crypto";

/**
 * What identifies one version of a document's text. Until documents have versions (issue #9),
 * a version is its id plus a hash of its Markdown: any edit, continuation or regeneration is a new
 * version, and an unchanged document keeps its cached exports. Replace this with the version id.
 */
export function documentVersionKey(document: { id: string; markdown: string }): string {
  return `${document.id}:${createHash("sha256").update(document.markdown).digest("base64url")}`;
}
