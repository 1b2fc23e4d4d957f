import { NextResponse, type NextRequest } from "next/server";
import { NOT_FOUND_COPY } from "@/components/not-found-copy";

/**
 * Runs before routing (Next.js 16's name for middleware). A path whose percent-encoding cannot be
 * decoded ("/d/%E0%A4%A") would otherwise fail inside the router with a plain-text 500: here it
 * is a 400, as the API's JSON error under /api and as the not-found page elsewhere. (A rewrite to
 * the app's not-found page cannot carry a 400: Next.js answers it with 404. So the page is written
 * here, with the same words.)
 */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const NOT_FOUND_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${NOT_FOUND_COPY.title} — Design Doc Studio</title>
<style>body{margin:0;font-family:ui-sans-serif,system-ui,sans-serif;color:#1c2024;line-height:1.5}header{padding:.75rem 1.5rem;border-bottom:1px solid #d9dde3}header a{font-weight:700;color:#1c2024;text-decoration:none}main{max-width:1400px;margin:0 auto;padding:1.25rem 1.5rem}a{color:#1f5eff}</style></head>
<body><header><a href="/">Design Doc Studio</a></header><main><h1>${NOT_FOUND_COPY.title}</h1><p>${NOT_FOUND_COPY.explanation}</p><p><a href="/">${NOT_FOUND_COPY.homeLink}</a></p></main></body></html>`;

export function proxy(request: NextRequest) {
  // The raw path as sent (nextUrl would normalise it).
  const pathname = new URL(request.url).pathname;
  if (decodable(pathname)) return NextResponse.next();
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    return NextResponse.json(
      { error: { code: "invalid_path", message: "The address has invalid percent-encoding (a % not followed by a valid UTF-8 sequence)." } },
      { status: 400 },
    );
  }
  return new NextResponse(NOT_FOUND_HTML, { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

export const config = {
  // Static assets are served before any route is matched and never fail this way.
  matcher: ["/((?!_next/static|_next/image).*)"],
};
