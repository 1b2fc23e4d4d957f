import { describe, expect, it } from "vitest";
import type { DocumentError } from "@/lib/documents/document-error";
import { readDocumentVersion } from "@/lib/documents/document-version";
import type { DesignDocument } from "@/lib/documents/types";
import type { DocumentVersion } from "@/lib/documents/versions";
import type { Studio } from "@/lib/studio";
import { designDocument } from "../support/design-document";
import { rejectionOf } from "../support/thrown";

const stored: DocumentVersion = { version: 1, createdAt: "2026-11-01T00:00:00.000Z", reason: "First pass", satisfied: 2, markdown: "# One 🔥" };
/** A store holding version 1 of a document whose current text is version 2. */
const studio = {
  store: { getVersion: async (id: string, version: number) => (id === "doc" && version === 1 ? stored : null) },
} as unknown as Studio;
const document = designDocument({
  id: "doc",
  version: 2,
  markdown: "# Two",
  updatedAt: "2026-11-02T00:00:00.000Z",
  report: { satisfied: 12 } as DesignDocument["report"],
});

describe("one version of a document (?version=N)", () => {
  it("reads a stored version, and the current text as its own version until it is stored", async () => {
    expect(await readDocumentVersion(studio, document, "1")).toBe(stored);
    expect(await readDocumentVersion(studio, document, "2")).toEqual({
      version: 2,
      createdAt: "2026-11-02T00:00:00.000Z",
      reason: "Current text",
      satisfied: 12,
      markdown: "# Two",
    });
    expect((await readDocumentVersion(studio, { ...document, report: null }, "2")).satisfied).toBeNull();
  });

  it("answers not_found for a number the document never had", async () => {
    for (const requested of ["3", "999999999"]) {
      const error = await rejectionOf<DocumentError>(() => readDocumentVersion(studio, document, requested));
      expect(error.code).toBe("not_found");
      expect(error.message).toBe(`This document has no version ${requested}.`);
    }
  });

  it("refuses what is not a version number, quoting at most 20 characters, never half an emoji", async () => {
    for (const requested of ["0", "-1", "1.0", "1e3", " 1", "", "1234567890", "two"]) {
      const error = await rejectionOf<DocumentError>(() => readDocumentVersion(studio, document, requested));
      expect(error.code, requested).toBe("invalid_request");
      expect(error.message).toBe(`"${requested}" is not a version number (1, 2, …).`);
    }
    const error = await rejectionOf<DocumentError>(() => readDocumentVersion(studio, document, "😀".repeat(25)));
    expect(error.message).toBe(`"${"😀".repeat(20)}" is not a version number (1, 2, …).`);
  });
});
