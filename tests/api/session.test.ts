import { describe, expect, it } from "vitest";
import { accessCookieValue } from "@/lib/http/access";
import { useStudioHarness } from "../support/studio-harness";

const TOKEN = "session-test-token";
const h = useStudioHarness({ ACCESS_TOKEN: TOKEN, MAX_BODY_BYTES: "2048" });

type Handler = Parameters<typeof h.call>[0];
const sessionRoute = async () => (await import("@/app/api/session/route")).POST as Handler;
const signOutRoute = async () => (await import("@/app/api/session/signout/route")).POST as Handler;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formType = { "content-type": "application/x-www-form-urlencoded" };

async function signIn(body: BodyInit | undefined, headers: Record<string, string> = formType) {
  return h.call(await sessionRoute(), "/api/session", { method: "POST", headers, body });
}

describe("POST /api/session (sign-in form)", () => {
  it("signs in with the right token: an HttpOnly SameSite=Lax cookie and a relative redirect to `next`", async () => {
    const response = await signIn(form({ token: TOKEN, next: "/d/abcdefghijklmnopqrstuv" }), { ...formType, host: "docs.example.org" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/d/abcdefghijklmnopqrstuv");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`studio_access=${accessCookieValue(TOKEN)}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("sends a wrong token back to the form, keeping a safe `next`", async () => {
    const response = await signIn(form({ token: "wrong", next: "/\t/evil.example/phish" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/signin?error=1&next=%2F");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("strips CR/LF from `next` instead of failing or splitting headers (S1)", async () => {
    const response = await signIn(form({ token: TOKEN, next: "/d/x\r\nSet-Cookie: planted=1" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).not.toMatch(/[\r\n]/);
    expect(response.headers.get("location")).toMatch(/^\/d\/x/);
    expect(response.headers.get("set-cookie")).not.toContain("planted");
  });

  it.each([
    ["JSON", JSON.stringify({ token: TOKEN }), { "content-type": "application/json" }, 415],
    ["plain text", `token=${TOKEN}`, { "content-type": "text/plain" }, 415],
    ["no type", `token=${TOKEN}`, {}, 415],
    ["broken multipart", "--nope\r\ngarbage", { "content-type": "multipart/form-data; boundary=xyz" }, 400],
  ])("answers a %s body with a 4xx, never a 500, and sets no cookie", async (_name, body, headers, status) => {
    const response = await signIn(body, headers);
    expect(response.status).toBe(status);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(((await response.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
  });

  it("answers an empty body with the form again", async () => {
    const response = await signIn(undefined, {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/signin?error=1&next=%2F");
  });

  it("applies MAX_BODY_BYTES: 413, whatever Content-Length says", async () => {
    const big = form({ token: TOKEN, padding: "x".repeat(10_000) });
    const declared = await signIn(big);
    expect(declared.status).toBe(413);
    // A streamed body with no Content-Length is cut off at the limit too.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 100; index++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
        controller.close();
      },
    });
    const streamed = await h.call(await sessionRoute(), "/api/session", { method: "POST", headers: formType, body: chunks, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("accepts a multipart form too", async () => {
    const body = new FormData();
    body.set("token", TOKEN);
    body.set("next", "/examples/rate-limiting");
    const response = await h.call(await sessionRoute(), "/api/session", { method: "POST", body });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/examples/rate-limiting");
  });

  it("refuses a sign-in posted from another origin (login CSRF)", async () => {
    const response = await signIn(form({ token: TOKEN }), { ...formType, origin: "http://evil.example", "sec-fetch-site": "cross-site" });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});

describe("POST /api/session/signout", () => {
  it("clears the cookie and redirects home", async () => {
    const response = await h.call(await signOutRoute(), "/api/session/signout", { method: "POST", headers: { cookie: `studio_access=${accessCookieValue(TOKEN)}` } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("set-cookie")).toMatch(/^studio_access=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
  });

  it("is refused from another origin", async () => {
    const response = await h.call(await signOutRoute(), "/api/session/signout", { method: "POST", headers: { origin: "http://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});
