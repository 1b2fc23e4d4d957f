/** A 303 with a relative Location: the browser resolves it against the address it used, behind any proxy. */
export function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store", ...headers } });
}
