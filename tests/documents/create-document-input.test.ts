import { describe, expect, it } from "vitest";
import { parseCreateDocumentInput } from "@/lib/documents/create-document-input";
import { DocumentError } from "@/lib/documents/document-error";
import { thrownBy } from "../support/thrown";

const refusal = (body: unknown) => thrownBy<DocumentError>(() => parseCreateDocumentInput(body));

describe("parseCreateDocumentInput", () => {
  it("accepts a topic in any script, with the optional model, fresh and mode", () => {
    expect(parseCreateDocumentInput({ topic: "限流 🚦" })).toEqual({ topic: "限流 🚦" });
    expect(parseCreateDocumentInput({ topic: "Rate Limiting", model: "  llama3 ", fresh: true, mode: "parallel" })).toEqual({
      topic: "Rate Limiting",
      model: "llama3",
      fresh: true,
      mode: "parallel",
    });
  });

  it("names the field at fault with its own code", () => {
    expect([refusal({ topic: "x", model: " " }).code, refusal({ topic: "x", model: " " }).message]).toEqual(["invalid_model", "model is empty"]);
    expect(refusal({ topic: "x", model: 7 }).message).toBe("model must be a string");
    expect(refusal({ topic: "x", model: "m".repeat(201) }).code).toBe("invalid_model");
    expect(refusal({ topic: "x", mode: "serial" })).toMatchObject({ code: "invalid_mode", message: 'mode must be "single" or "parallel"' });
    expect(refusal({ topic: "x", fresh: "yes" })).toMatchObject({ code: "invalid_request", message: "fresh must be true or false" });
  });

  it("a missing or non-string topic, or a body that is not an object, asks for {\"topic\": \"…\"}", () => {
    for (const body of [{}, { topic: 5 }, null, "Rate Limiting", []]) {
      const error = refusal(body);
      expect(error.code).toBe("invalid_topic");
    }
    expect(refusal({ topic: 5 }).message).toBe('Send {"topic": "…"} with the topic as a string.');
    expect(refusal({}).message).toBe('Send {"topic": "…"} with the topic as a string.');
  });

  it("an invalid topic string keeps the topic rule's own message", () => {
    const error = refusal({ topic: "   " });
    expect(error.code).toBe("invalid_topic");
    expect(error.message).not.toBe('Send {"topic": "…"} with the topic as a string.');
    expect(error.message.length).toBeGreaterThan(0);
  });
});
