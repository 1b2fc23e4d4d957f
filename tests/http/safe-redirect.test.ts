import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/http/safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/", "/"],
    ["/d/abcdefghijklmnopqrstuv", "/d/abcdefghijklmnopqrstuv"],
    ["/signin?next=%2F#top", "/signin?next=%2F#top"],
    ["/%E6%BC%A2%E5%AD%97", "/%E6%BC%A2%E5%AD%97"],
  ])("keeps the same-origin path %s", (given, expected) => {
    expect(safeRedirectPath(given)).toBe(expected);
  });

  it.each([
    "//evil.example/phish",
    "/\\evil.example/phish",
    "/\t/evil.example/phish", // browsers drop the tab: "//evil.example"
    "/\r\n/evil.example/phish",
    "/\n\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
  ])("sends %j home instead", (given) => {
    expect(safeRedirectPath(given)).toBe("/");
  });

  it("refuses what is not a string", () => {
    expect(safeRedirectPath(null)).toBe("/");
    expect(safeRedirectPath(new Blob(["/"]))).toBe("/");
  });
});
