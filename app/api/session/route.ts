import { secretsEqual, sessionCookie } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { readFormBody } from "@/lib/http/request-body";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { requireSameOrigin } from "@/lib/http/same-origin";
import { seeOther } from "@/lib/http/see-other";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/**
 * The sign-in form posts here; a correct ACCESS_TOKEN sets an HttpOnly cookie. Forms from other
 * origins are refused (a forged sign-in would put a victim in the attacker's session), bodies
 * are capped at MAX_BODY_BYTES, and anything but a form is a 4xx.
 */
export const POST = withApiErrors(async (request: Request) => {
  const studio = await getStudio();
  requireSameOrigin(request, studio.config);
  const form = await readFormBody(request, studio.config.maxBodyBytes);
  const token = studio.config.accessToken;
  const next = safeRedirectPath(form.get("next"));
  const given = form.get("token");
  if (!token) return seeOther(next);
  if (typeof given !== "string" || !secretsEqual(given, token)) {
    return seeOther(`/signin?error=1&next=${encodeURIComponent(next)}`);
  }
  const secure = new URL(request.url).protocol === "https:";
  return seeOther(next, { "Set-Cookie": sessionCookie(token, secure) });
});
