import { checkStudioHealth, isServing } from "@/lib/health/studio-health";
import { withApiErrors } from "@/lib/http/error-response";

export const dynamic = "force-dynamic";

/** Public (no access token, no document ids): 200 when this instance can serve (database, and Redis when configured), 503 otherwise, with the same JSON. */
export const GET = withApiErrors(async () => {
  const health = await checkStudioHealth();
  return Response.json(health, { status: isServing(health) ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
