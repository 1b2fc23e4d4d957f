import { describe, expect, it } from "vitest";
import { DocumentError } from "@/lib/documents/document-error";
import { hashEditToken, newEditToken, requireMayChange } from "@/lib/documents/edit-token";
import type { DesignDocument } from "@/lib/documents/types";
import { thrownBy } from "../support/thrown";

const { token, hash } = newEditToken();
const document = { editTokenHash: hash } as DesignDocument;
const requester = (editToken: string | null, tokenHolder = false) => ({ clientKey: "ip:1", scope: null, tokenHolder, editToken });

describe("edit tokens", () => {
  it("are 128 random bits in base64url, stored only as a hash", () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashEditToken(token));
    expect(hash).not.toContain(token);
    expect(newEditToken().token).not.toBe(token);
  });

  it("hash as they always have: hashes stored by earlier versions keep matching", () => {
    expect(hashEditToken("AAAAAAAAAAAAAAAAAAAAAA")).toBe("94256716b1eee9e6627901b3c5db5b0d171e4119145c45ef8fcd178563c1452d");
  });

  it("let the creator and ACCESS_TOKEN holders change the document", () => {
    expect(() => requireMayChange(document, requester(token))).not.toThrow();
    expect(() => requireMayChange(document, requester(null, true))).not.toThrow();
    expect(() => requireMayChange({ editTokenHash: null } as DesignDocument, requester(null, true))).not.toThrow();
  });

  it("refuse anyone else as forbidden, documents created without a token included", () => {
    for (const [doc, editToken] of [
      [document, null],
      [document, "wrong"],
      [document, `${token}x`],
      [{ editTokenHash: null } as DesignDocument, token],
    ] as const) {
      const error = thrownBy<DocumentError>(() => requireMayChange(doc, requester(editToken)));
      expect(error).toBeInstanceOf(DocumentError);
      expect(error.code).toBe("forbidden");
      expect(error.message).toContain("edit token");
    }
  });
});
