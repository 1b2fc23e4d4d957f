import { describe, expect, it } from "vitest";
import { documentApiPath, documentPath, isDocumentId, markdownPath, sectionRepairPath, sectionRetryPath } from "@/lib/documents/paths";

describe("document paths", () => {
  const id = "AbC_-0123456789xyz";

  it("builds the page, API, download and section paths", () => {
    expect(documentPath(id)).toBe(`/d/${id}`);
    expect(documentApiPath(id)).toBe(`/api/documents/${id}`);
    expect(documentApiPath(id, "stream")).toBe(`/api/documents/${id}/stream`);
    expect(documentApiPath(id, "retry")).toBe(`/api/documents/${id}/retry`);
    expect(markdownPath(id)).toBe(`/api/documents/${id}/markdown`);
    expect(markdownPath(id, 3)).toBe(`/api/documents/${id}/markdown?version=3`);
    expect(sectionRepairPath(id, 7)).toBe(`/api/documents/${id}/sections/7/repair`);
    expect(sectionRetryPath(id, 12)).toBe(`/api/documents/${id}/sections/12/retry`);
  });

  it("encodes whatever it is given, so a hostile id cannot leave its path segment", () => {
    expect(documentPath("../x?y#z")).toBe("/d/..%2Fx%3Fy%23z");
    expect(documentApiPath("限流/🚦")).toBe("/api/documents/%E9%99%90%E6%B5%81%2F%F0%9F%9A%A6");
  });

  it("recognises only base64url ids of 16 to 64 characters", () => {
    expect(isDocumentId("A".repeat(16))).toBe(true);
    expect(isDocumentId("a_-Z9".repeat(12) + "abcd")).toBe(true);
    expect(isDocumentId("A".repeat(15))).toBe(false);
    expect(isDocumentId("A".repeat(65))).toBe(false);
    expect(isDocumentId(`${"A".repeat(16)}\n`)).toBe(false);
    expect(isDocumentId(`${"A".repeat(16)}=`)).toBe(false);
    expect(isDocumentId(`/${"A".repeat(16)}`)).toBe(false);
  });
});
