import "server-only";
import { getStudio, type Studio } from "@/lib/studio";
import { withApiErrors } from "./error-response";
import { refuseNonJsonBody } from "./request-body";
import { requireSameOrigin } from "./same-origin";

type RouteContext = { params: Promise<{ id: string }> };

/**
 * A state-changing request on one document (cancel, continue, retry, delete): refused when a
 * page on another origin sent it (403) or when it carries a body that is not JSON (415), before
 * anything else is looked at.
 */
export function documentActionRoute(run: (studio: Studio, id: string, request: Request) => Promise<Response>) {
  return withApiErrors(async (request: Request, { params }: RouteContext) => {
    const studio = await getStudio();
    requireSameOrigin(request, studio.config);
    refuseNonJsonBody(request);
    return run(studio, (await params).id, request);
  });
}
