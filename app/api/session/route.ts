import { ACCESS_COOKIE, accessCookieValue, secretsEqual } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/error-response";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

/** A relative Location: the browser resolves it against the address it used, behind any proxy. */
function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, ...headers } });
}

/** The sign-in form posts here; a correct ACCESS_TOKEN sets an HttpOnly cookie. */
export const POST = withApiErrors(async (request: Request) => {
  const studio = await getStudio();
  const form = await request.formData();
  const token = studio.config.accessToken;
  const next = safeRedirectPath(form.get("next"));
  const given = form.get("token");
  if (!token) return seeOther(next);
  if (typeof given !== "string" || !secretsEqual(given, token)) {
    return seeOther(`/signin?error=1&next=${encodeURIComponent(next)}`);
  }
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return seeOther(next, { "Set-Cookie": `${ACCESS_COOKIE}=${accessCookieValue(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000${secure}` });
});
