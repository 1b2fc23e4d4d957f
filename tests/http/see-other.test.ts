import { describe, expect, it } from "vitest";
import { seeOther } from "@/lib/http/see-other";

describe("seeOther", () => {
  it("is a bodiless, uncached 303 to a relative location, with any extra headers", async () => {
    const response = seeOther("/d/abc?from=signin", { "Set-Cookie": "studio_access=; Max-Age=0" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/d/abc?from=signin");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toBe("studio_access=; Max-Age=0");
    expect(await response.text()).toBe("");
  });
});
