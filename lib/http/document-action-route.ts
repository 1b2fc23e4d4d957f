import "server-only";
import type { Requester } from "@/lib/documents/requester";
import { getStudio, type Studio } from "@/lib/studio";
import { requireReadAccess, requireWriteAccess } from "./access";
import { withApiErrors } from "./error-response";
import { refuseNonJsonBody } from "./request-body";
import { requesterFor } from "./requester";
import { requireSameOrigin } from "./same-origin";

type RouteContext<Params> = { params: Promise<Params> };

/**
 * A state-changing request on one document (cancel, continue, retry, repair, delete, a section's retry), gated in order:
 * sent by a page on another origin (403); a body that is not JSON (415); with PRIVATE_READS, no
 * access token (401); with ACCESS_TOKEN, neither the token nor an edit token (401: sign in).
 * Whether the requester may change this document (its creator, or a token holder) is the
 * domain's decision (lib/documents/edit-token), made by `run`.
 */
export function documentActionRoute<Params extends { id: string } = { id: string }>(
  run: (studio: Studio, id: string, requester: Requester, params: Params) => Promise<Response>,
) {
  return withApiErrors(async (request: Request, { params }: RouteContext<Params>) => {
    const studio = await getStudio();
    const { config } = studio;
    requireSameOrigin(request, config);
    refuseNonJsonBody(request);
    requireReadAccess(request, config);
    const requester = requesterFor(request, config);
    // Without an edit token, the access token is needed (a no-op when none is configured or held).
    if (!requester.editToken) requireWriteAccess(request, config);
    const values = await params;
    return run(studio, values.id, requester, values);
  });
}
