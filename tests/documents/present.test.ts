import { describe, expect, it } from "vitest";
import { presentCreation, presentDocument } from "@/lib/documents/present";
import type { PartProgress } from "@/lib/documents/section-parts";
import { passVersionReason } from "@/lib/documents/versions";
import { designDocument } from "../support/design-document";

const part = (overrides: Partial<PartProgress>): PartProgress => ({
  section: 1,
  part: 1,
  parts: 1,
  state: "complete",
  text: "",
  error: null,
  continuations: 0,
  inputTokens: 0,
  outputTokens: 0,
  ...overrides,
});

describe("presentDocument", () => {
  it("keeps the server's keys to itself: edit token hash, client, scope, fence, drafts, topic key", () => {
    const secretive = designDocument({ editTokenHash: "ab".repeat(32), clientKey: "ip:203.0.113.9", ownerScope: "token:x", fence: 7 });
    const json = JSON.stringify(presentDocument(secretive));
    for (const hidden of ["editTokenHash", "clientKey", "ownerScope", "fence", "repairDrafts", "topicKey", "ip:203.0.113.9", "token:x"]) {
      expect(json).not.toContain(hidden);
    }
  });

  it("gives the permalink, the text and the state a client needs, with nulls for what was never computed", () => {
    const presented = presentDocument(designDocument({ id: "BBBBBBBBBBBBBBBBBBBBBB", status: "failed", error: "The model provider failed: 500", version: 2, passVersion: 1 }));
    expect(presented).toMatchObject({
      id: "BBBBBBBBBBBBBBBBBBBBBB",
      url: "/d/BBBBBBBBBBBBBBBBBBBBBB",
      topic: "限流 Rate Limiting",
      status: "failed",
      markdown: "# Rate Limiting\n\nText 😀\n",
      error: "The model provider failed: 500",
      version: 2,
      passVersion: 1,
      mode: "single",
      outline: null,
      parts: null,
      satisfied: null,
      sections: null,
      rules: null,
      typecheck: null,
      repair: null,
    });
  });

  it("in parallel mode gives each part's state and length, never its text twice", () => {
    const text = "## 1. Problem 🚦\n" + "x".repeat(17_000);
    const presented = presentDocument(
      designDocument({ mode: "parallel", parallel: { outline: null, parts: [part({ section: 0, text: "# T" }), part({ section: 1, state: "failed", error: "cut off", text, continuations: 2, inputTokens: 10, outputTokens: 20 })] } }),
    );
    expect(presented.parts).toEqual([
      { section: 0, part: 1, parts: 1, state: "complete", error: null, continuations: 0, inputTokens: 0, outputTokens: 0, length: 3 },
      { section: 1, part: 1, parts: 1, state: "failed", error: "cut off", continuations: 2, inputTokens: 10, outputTokens: 20, length: text.length },
    ]);
    expect(JSON.stringify(presented.parts)).not.toContain("xxxx");
  });
});

describe("presentCreation", () => {
  const document = designDocument({ status: "generating" });

  it("gives the edit token only to the request that created the document", () => {
    expect(presentCreation({ outcome: "created", document, editToken: "tok" })).toEqual({
      id: document.id,
      url: `/d/${document.id}`,
      status: "generating",
      model: "fake-model",
      mode: "single",
      coalesced: false,
      alreadyGenerated: false,
      editToken: "tok",
    });
    expect(presentCreation({ outcome: "coalesced", document })).toMatchObject({ coalesced: true, alreadyGenerated: false });
    expect(presentCreation({ outcome: "already_generated", document })).toMatchObject({ coalesced: false, alreadyGenerated: true });
    expect("editToken" in presentCreation({ outcome: "coalesced", document })).toBe(false);
  });
});

describe("passVersionReason", () => {
  it("says why a pass's version exists: its recorded reason, else first pass or generated again", () => {
    expect(passVersionReason({ passVersion: 1, passReason: null })).toBe("First pass");
    expect(passVersionReason({ passVersion: 3, passReason: null })).toBe("Generated again from the start");
    expect(passVersionReason({ passVersion: 3, passReason: "Generated again from the start (Retry: version 2 had failed)" })).toBe(
      "Generated again from the start (Retry: version 2 had failed)",
    );
  });
});
