import { clearedSessionCookie } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { requireSameOrigin } from "@/lib/http/same-origin";
import { seeOther } from "@/lib/http/see-other";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** Clears the sign-in cookie and goes home. The body, if any, is not read. */
export const POST = withApiErrors(async (request: Request) => {
  const studio = await getStudio();
  requireSameOrigin(request, studio.config);
  return seeOther("/", { "Set-Cookie": clearedSessionCookie() });
});
