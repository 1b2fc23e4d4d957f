import { describe, expect, it } from "vitest";
import { DocumentError } from "@/lib/documents/document-error";

const mark = Symbol.for("design-doc-studio.DocumentError");

describe("DocumentError", () => {
  it("keeps its code, message and wait, and is recognised through a copy of the class from another bundle", () => {
    const error = new DocumentError("rate_limited", "Try again in 3 minutes.", 180);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "DocumentError", code: "rate_limited", message: "Try again in 3 minutes.", retryAfterSeconds: 180 });
    const fromOtherBundle = Object.assign(new Error("x"), { [mark]: true, code: "not_found" });
    expect(fromOtherBundle instanceof DocumentError).toBe(true);
  });

  it("recognises nothing else: plain errors, null, undefined, primitives, or a function that carries the mark", () => {
    for (const value of [new Error("x"), { [mark]: "true" }, null, undefined, "DocumentError", 0, Object.assign(() => {}, { [mark]: true })]) {
      expect(value instanceof DocumentError).toBe(false);
    }
  });
});
