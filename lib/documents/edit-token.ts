import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { DocumentError } from "./document-error";
import type { Requester } from "./requester";
import type { DesignDocument } from "./types";

/** A new document's edit token: 128 random bits, given once to its creator; only its hash is stored. */
export function newEditToken(): { token: string; hash: string } {
  const token = randomBytes(16).toString("base64url");
  return { token, hash: hashEditToken(token) };
}

export function hashEditToken(token: string): string {
  return createHash("sha256").update(`design-doc-studio:edit:${token}`).digest("hex");
}

function holdsEditToken(document: DesignDocument, token: string | null): boolean {
  if (!token || !document.editTokenHash) return false;
  return timingSafeEqual(Buffer.from(hashEditToken(token), "hex"), Buffer.from(document.editTokenHash, "hex"));
}

/**
 * Stopping, continuing, retrying, repairing and deleting belong to the document's creator (who holds its
 * edit token) and to ACCESS_TOKEN holders; anyone with the link can still read it.
 */
export function requireMayChange(document: DesignDocument, requester: Requester): void {
  if (requester.tokenHolder || holdsEditToken(document, requester.editToken)) return;
  throw new DocumentError(
    "forbidden",
    "Only the browser that created this document can stop, continue, retry, repair or delete it (it sends the document's edit token), or a holder of the server's ACCESS_TOKEN. Anyone with the link can read it.",
  );
}
