import { checkStudioHealth } from "@/lib/health/studio-health";
import { withApiErrors } from "@/lib/http/error-response";

export const dynamic = "force-dynamic";

/** Public (no access token, no document ids): 200 when this instance can serve, 503 otherwise, with the same JSON. */
export const GET = withApiErrors(async () => {
  const health = await checkStudioHealth();
  return Response.json(health, { status: health.database === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
