import { createHash } from "node:crypto";
import type { StudioConfig } from "@/lib/config/env";
import type { Requester } from "@/lib/documents/requester";
import { holdsAccessToken } from "./access";
import { clientIdentity } from "./client-key";

/** The header a document's creator sends its edit token in (a custom header: other sites cannot send it without a CORS preflight). */
const EDIT_TOKEN_HEADER = "x-edit-token";

/** All holders of one ACCESS_TOKEN are one signed-in user; a new token starts a new scope. */
function signedInScope(accessToken: string): string {
  return `token:${createHash("sha256").update(`design-doc-studio:scope:${accessToken}`).digest("base64url").slice(0, 22)}`;
}

/** Who is asking, for the domain (lib/documents/requester). */
export function requesterFor(request: Request, config: Pick<StudioConfig, "accessToken" | "trustProxy">): Requester {
  const identity = clientIdentity(request, config);
  const tokenHolder = holdsAccessToken(request, config);
  const scope = config.accessToken ? (tokenHolder ? signedInScope(config.accessToken) : null) : identity.verified ? identity.key : null;
  const editToken = request.headers.get(EDIT_TOKEN_HEADER)?.trim() || null;
  return { clientKey: identity.key, scope, tokenHolder, editToken };
}
