import { describe, expect, it } from "vitest";
import { ACCESS_COOKIE, accessCookieValue, delegatedAccess } from "@/lib/http/access";

const config = { accessToken: "s3cret" };
const request = (headers: Record<string, string>) => new Request("http://studio.test/api/documents/x/pdf", { headers });
const cookie = `${ACCESS_COOKIE}=${accessCookieValue("s3cret")}`;

describe("access delegated to the PDF renderer's browser", () => {
  it("is the access cookie for a request holding the token by Bearer header or cookie", () => {
    expect(delegatedAccess(request({ authorization: "Bearer s3cret" }), config)).toEqual({ cookie });
    expect(delegatedAccess(request({ cookie: `other=1; ${cookie}` }), config)).toEqual({ cookie });
  });

  it("is nothing for a request without the token, or when the server has none", () => {
    expect(delegatedAccess(request({ authorization: "Bearer wrong" }), config)).toEqual({});
    expect(delegatedAccess(request({ cookie: "other=1" }), config)).toEqual({});
    expect(delegatedAccess(request({ authorization: "Bearer s3cret", cookie: "x=1" }), { accessToken: undefined })).toEqual({});
  });
});
