import type { DesignDocument } from "@/lib/documents/types";

/** A stored document for unit tests: complete, single mode, a CJK topic and an emoji in its text; `overrides` set the rest. */
export function designDocument(overrides: Partial<DesignDocument> = {}): DesignDocument {
  return {
    id: "AAAAAAAAAAAAAAAAAAAAAA",
    topic: "限流 Rate Limiting",
    topicKey: "限流 rate limiting",
    model: "fake-model",
    promptStyle: "contract",
    promptVersion: "v1",
    history: [],
    status: "complete",
    markdown: "# Rate Limiting\n\nText 😀\n",
    error: null,
    report: null,
    continuations: 0,
    clientKey: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    fence: 1,
    instance: null,
    editTokenHash: null,
    ownerScope: null,
    tokensUsed: 0,
    version: 1,
    passVersion: 1,
    passReason: null,
    repair: null,
    repairDrafts: [],
    inputTokens: 0,
    outputTokens: 0,
    mode: "single",
    parallel: null,
    ...overrides,
  };
}
