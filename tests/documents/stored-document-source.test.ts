import { describe, expect, it } from "vitest";
import { storedDocumentSource } from "@/lib/documents/stored-document-source";
import type { DesignDocument } from "@/lib/documents/types";
import type { DocumentVersion } from "@/lib/documents/versions";
import type { DocumentEvent } from "@/lib/events/document-events";
import type { DocumentEventSink } from "@/lib/events/document-event-sink";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";

function sink() {
  const events: DocumentEvent[] = [];
  let closed = false;
  const value: DocumentEventSink = {
    text: (delta, offset) => events.push({ type: "text", delta, offset }),
    send: (event) => events.push(event),
    close: () => (closed = true),
    get closed() {
      return closed;
    },
  };
  return { events, sink: value, isClosed: () => closed };
}

const v1: DocumentVersion = { version: 1, createdAt: "t1", reason: "First pass", satisfied: 11, markdown: "# T\n\n## 1. First pass 🦀\n" };
const v2: DocumentVersion = { version: 2, createdAt: "t2", reason: "Repair round 1: section 1", satisfied: 12, markdown: "# T\n\n## 1. Repaired 🦀🦀\n" };
const base = {
  id: "doc-000000000000001",
  topic: "T",
  topicKey: "t",
  model: "m",
  promptStyle: "contract",
  promptVersion: "v",
  error: null,
  report: null,
  continuations: 0,
  history: [],
  clientKey: null,
  createdAt: "t0",
  updatedAt: "t2",
  repairDrafts: [],
  editTokenHash: null,
  ownerScope: null,
  tokensUsed: 0,
  inputTokens: 0,
  outputTokens: 0,
  mode: "single",
  parallel: null,
  fence: 1,
  instance: null,
  passReason: null,
} satisfies Partial<DesignDocument>;

describe("storedDocumentSource", () => {
  it("replays a repaired document's text channel (its first pass), then its latest version, its repair and end with the version", async () => {
    const repair = { ...newRepairRecord({ trigger: "auto", target: null, maxRounds: 2, fromVersion: 1, firstPass: null }), status: "finished" as const };
    const document: DesignDocument = { ...base, status: "complete", markdown: v2.markdown, version: 2, passVersion: 1, repair };
    const out = sink();
    storedDocumentSource(document, 4, { reload: async () => document, version: async (n) => (n === 1 ? v1 : n === 2 ? v2 : null) })(out.sink);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(out.events).toEqual([
      { type: "text", delta: v1.markdown.slice(4), offset: v1.markdown.length },
      { type: "version", version: { version: 2, createdAt: "t2", reason: "Repair round 1: section 1", satisfied: 12 }, markdown: v2.markdown },
      { type: "repair", repair },
      { type: "end", offset: v1.markdown.length, status: "complete", error: null, version: 2 },
    ]);
    expect(out.isClosed()).toBe(true);
  });

  it("follows a document another process repairs through its checkpoints: the replacement text grows without repeats", async () => {
    const repair = newRepairRecord({ trigger: "auto", target: null, maxRounds: 2, fromVersion: 1, firstPass: null });
    let current: DesignDocument = { ...base, status: "repairing", markdown: v1.markdown, version: 1, passVersion: 1, repair, repairDrafts: [{ number: 1, round: 1, text: "## 1. Rep" }] };
    const out = sink();
    const stop = storedDocumentSource(current, 0, { reload: async () => current, version: async (n) => (n === 2 ? v2 : null) })(out.sink);
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = { ...current, repairDrafts: [{ number: 1, round: 1, text: "## 1. Repaired 🦀" }] };
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    current = { ...current, status: "complete", markdown: v2.markdown, version: 2, repairDrafts: [] };
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    stop();
    const sections = out.events.filter((event) => event.type === "section");
    expect(sections).toEqual([
      { type: "section", number: 1, round: 1, from: 0, delta: "## 1. Rep" },
      { type: "section", number: 1, round: 1, from: 9, delta: "aired 🦀" },
    ]);
    expect(out.events.at(-2)).toMatchObject({ type: "version", markdown: v2.markdown });
    expect(out.events.at(-1)).toMatchObject({ type: "end", status: "complete", version: 2, offset: v1.markdown.length });
  });
});
