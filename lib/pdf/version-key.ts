/**
 * What identifies the text of a document that is not running: its version (a repair round or a
 * Retry makes a new one; none is ever overwritten) within its latest start (its fence). The fence
 * is part of it because Continue finishes a stopped pass under the same version number, with
 * more text; a start that changes nothing only costs one more render.
 */
export function documentVersionKey(document: { id: string; fence: number; version: number }): string {
  return `${document.id}:${document.fence}:v${document.version}`;
}
