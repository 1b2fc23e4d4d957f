import { createHash, timingSafeEqual } from "node:crypto";
import { ACCESS_COOKIE, accessCookieValue } from "@/lib/http/access";
import { withApiErrors } from "@/lib/http/api-error";
import { getStudio } from "@/lib/studio";

export const dynamic = "force-dynamic";

const same = (a: string, b: string) => timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

/** Only local paths: a sign-in link must not become an open redirect. */
function safeNext(value: FormDataEntryValue | null): string {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : "/";
}

/** The sign-in form posts here; a correct ACCESS_TOKEN sets an HttpOnly cookie. */
export const POST = withApiErrors(async (request: Request) => {
  const studio = await getStudio();
  const form = await request.formData();
  const token = studio.config.accessToken;
  const next = safeNext(form.get("next"));
  const given = form.get("token");
  if (!token) return Response.redirect(new URL(next, request.url), 303);
  if (typeof given !== "string" || !same(given, token)) {
    return Response.redirect(new URL(`/signin?error=1&next=${encodeURIComponent(next)}`, request.url), 303);
  }
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return new Response(null, {
    status: 303,
    headers: {
      Location: next,
      "Set-Cookie": `${ACCESS_COOKIE}=${accessCookieValue(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000${secure}`,
    },
  });
});
