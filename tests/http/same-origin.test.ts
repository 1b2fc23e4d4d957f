import { describe, expect, it } from "vitest";
import { HttpError } from "@/lib/http/http-error";
import { requireSameOrigin } from "@/lib/http/same-origin";
import { thrownBy } from "../support/thrown";

const config = { publicUrl: "https://docs.example.com", trustProxy: false, allowedOrigins: ["https://wiki.example.com"] };
const post = (headers: Record<string, string>) => new Request("http://app.internal:3000/api/documents", { method: "POST", headers });

const refusal = (headers: Record<string, string>) => thrownBy<HttpError>(() => requireSameOrigin(post(headers), config));

describe("requireSameOrigin", () => {
  it("lets through requests no browser page could have sent: Bearer, curl, the browser's own same-origin mark", () => {
    expect(() => requireSameOrigin(post({ authorization: "Bearer abc", origin: "https://evil.test" }), config)).not.toThrow();
    expect(() => requireSameOrigin(post({ authorization: "bearer   abc", "sec-fetch-site": "cross-site" }), config)).not.toThrow();
    expect(() => requireSameOrigin(post({}), config)).not.toThrow();
    expect(() => requireSameOrigin(post({ "sec-fetch-site": "same-origin", origin: "https://evil.test" }), config)).not.toThrow();
  });

  it("accepts the public origin and ALLOWED_ORIGINS, exactly", () => {
    expect(() => requireSameOrigin(post({ origin: "https://docs.example.com" }), config)).not.toThrow();
    expect(() => requireSameOrigin(post({ origin: "https://wiki.example.com", "sec-fetch-site": "same-site" }), config)).not.toThrow();
    expect(refusal({ origin: "https://docs.example.com.evil.test" }).status).toBe(403);
    expect(refusal({ origin: "http://docs.example.com" }).status).toBe(403);
  });

  it("refuses other origins, `null`, a same-site page and a Bearer header with no token, with a 403 that says why", () => {
    const crossSite = refusal({ origin: "https://evil.test", "sec-fetch-site": "cross-site" });
    expect(crossSite).toBeInstanceOf(HttpError);
    expect(crossSite.status).toBe(403);
    expect(crossSite.code).toBe("cross_origin_request");
    expect(crossSite.message).toContain("(https://evil.test)");
    expect(crossSite.message).toContain("ALLOWED_ORIGINS");
    expect(refusal({ origin: "null" }).message).toContain("(null)");
    expect(refusal({ "sec-fetch-site": "same-site" }).message).toContain("(Sec-Fetch-Site: same-site)");
    expect(refusal({ authorization: "Bearer ", origin: "https://evil.test" }).status).toBe(403);
    expect(refusal({ authorization: "Basic abc", origin: "https://evil.test" }).status).toBe(403);
  });

  it("never accepts the opaque origin `null` (sandboxed frames, file: pages), even if it were listed", () => {
    const listed = { ...config, allowedOrigins: ["null"] };
    expect(() => requireSameOrigin(post({ origin: "null" }), listed)).toThrow(HttpError);
  });

  it("without PUBLIC_URL, compares with the origin the request was addressed to", () => {
    const open = { publicUrl: undefined, trustProxy: false, allowedOrigins: [] };
    const request = (origin: string) => new Request("http://studio.local:3000/api/documents", { method: "POST", headers: { origin, host: "studio.local:3000" } });
    expect(() => requireSameOrigin(request("http://studio.local:3000"), open)).not.toThrow();
    expect(() => requireSameOrigin(request("http://studio.local:3001"), open)).toThrow(HttpError);
  });
});
