import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { publicOrigin, requestPublicOrigin } from "@/lib/http/public-origin";

const headers = (values: Record<string, string>) => new Headers(values);
const direct = { publicUrl: undefined, trustProxy: false };
const proxied = { publicUrl: undefined, trustProxy: true };

describe("public origin", () => {
  it("uses PUBLIC_URL when set, whatever the request says", () => {
    const config = { publicUrl: "https://docs.example.com", trustProxy: true };
    expect(publicOrigin(headers({ host: "evil.test", "x-forwarded-host": "evil.test" }), config)).toBe("https://docs.example.com");
  });

  it("PUBLIC_URL is validated by the config and reduced to its origin", () => {
    expect(parseConfig({ PUBLIC_URL: "https://docs.example.com/some/path" }).publicUrl).toBe("https://docs.example.com");
    expect(parseConfig({}).publicUrl).toBeUndefined();
    expect(() => parseConfig({ PUBLIC_URL: "docs.example.com" })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ PUBLIC_URL: "javascript:alert(1)" })).toThrow(/PUBLIC_URL/);
  });

  it("without PUBLIC_URL uses the Host header and the connection's scheme", () => {
    expect(publicOrigin(headers({ host: "studio.local:3000" }), direct)).toBe("http://studio.local:3000");
    expect(requestPublicOrigin(new Request("https://internal:8443/d/x", { headers: { host: "Studio.Example.com" } }), direct)).toBe("https://studio.example.com");
  });

  it("falls back to http for a connection that is neither http nor https", () => {
    expect(publicOrigin(headers({ host: "studio.local" }), direct, "ftp:")).toBe("http://studio.local");
    expect(publicOrigin(headers({ host: "studio.local" }), direct, "HTTPS:")).toBe("https://studio.local");
  });

  it("takes X-Forwarded-Proto only when it is exactly http or https", () => {
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-proto": "http" }), proxied, "https:")).toBe("http://a.test");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-proto": "HTTPS:" }), proxied)).toBe("https://a.test");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-proto": "ht:tp" }), proxied, "https:")).toBe("https://a.test");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-proto": "https:x" }), proxied)).toBe("http://a.test");
  });

  it("ignores X-Forwarded-* unless TRUST_PROXY=1", () => {
    const sent = headers({ host: "app.internal:3000", "x-forwarded-host": "docs.example.com", "x-forwarded-proto": "https" });
    expect(publicOrigin(sent, direct)).toBe("http://app.internal:3000");
    expect(publicOrigin(sent, proxied)).toBe("https://docs.example.com");
  });

  it("takes the first forwarded entry and falls back to Host when the proxy sent no host", () => {
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-host": "docs.example.com, proxy.internal", "x-forwarded-proto": "https, http" }), proxied)).toBe("https://docs.example.com");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-proto": "https" }), proxied)).toBe("https://a.test");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-host": "docs.example.com , proxy.internal", "x-forwarded-proto": "https ,http" }), proxied)).toBe("https://docs.example.com");
  });

  it("never lets a header inject markup, a path or another scheme", () => {
    expect(publicOrigin(headers({ host: 'evil.test"><script>' }), direct)).toBe("http://localhost");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-host": "evil.test/path?x" }), proxied)).toBe("http://a.test");
    expect(publicOrigin(headers({ host: "a.test", "x-forwarded-proto": "javascript" }), proxied)).toBe("http://a.test");
    expect(publicOrigin(headers({ host: "[::1]:3000" }), direct)).toBe("http://[::1]:3000");
  });
});
