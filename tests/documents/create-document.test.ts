import { describe, expect, it } from "vitest";
import { GenerationAdmission } from "@/lib/documents/admission";
import { createDocument } from "@/lib/documents/create-document";
import type { DocumentError } from "@/lib/documents/document-error";
import type { Requester } from "@/lib/documents/requester";
import type { DesignDocument } from "@/lib/documents/types";
import { DEMO_MODEL_ID } from "@/lib/examples/demo-model-id";
import { SETUP_INSTRUCTIONS } from "@/lib/generation/provider";
import { fakeStudio, type FakeStudioParts } from "../support/fake-studio";
import { rejectionOf } from "../support/thrown";

/** A requester that cannot be told apart from others: nothing is shared, every create is new. */
const anonymous: Requester = { clientKey: "shared", scope: null, tokenHolder: false, editToken: null };
const noProvider = { kind: "none" as const, problem: null };

function studioCreating(parts: FakeStudioParts = {}) {
  const created: Partial<DesignDocument>[] = [];
  const studio = fakeStudio({
    store: { create: async (fields: Partial<DesignDocument>) => (created.push(fields), { ...fields, status: "generating" } as DesignDocument) },
    generations: { start: async () => ({ done: new Promise<void>(() => {}) }) },
    admission: { admit: async () => {}, recordStart: async () => {}, trackRunning: async () => {} },
    ...parts,
  });
  return { studio, created };
}

const refusal = (parts: FakeStudioParts, input: { topic: string; model?: string; mode?: "single" | "parallel" }) =>
  rejectionOf<DocumentError>(() => createDocument(studioCreating(parts).studio, input, anonymous));

describe("creating a document: which model and mode", () => {
  it("without a provider, streams a library example with the demo model, always in single mode", async () => {
    const { studio, created } = studioCreating({ provider: noProvider, config: { generationMode: "parallel" } });
    const result = await createDocument(studio, { topic: "circuit breaker", mode: "parallel" }, anonymous);
    expect(result.outcome).toBe("created");
    expect(created[0]).toMatchObject({ model: DEMO_MODEL_ID, mode: "single", topic: "circuit breaker", ownerScope: null });
    await expect(createDocument(studio, { topic: "Circuit Breaker", model: DEMO_MODEL_ID }, anonymous)).resolves.toMatchObject({ outcome: "created" });
  });

  it("without a provider, says what to set, and which topics the demo can stream", async () => {
    const other = await refusal({ provider: noProvider }, { topic: "限流 🚦" });
    expect(other.code).toBe("provider_not_configured");
    expect(other.message.startsWith(`${SETUP_INSTRUCTIONS}\nWithout a provider, the demo can stream these example topics: "`)).toBe(true);
    expect(other.message).toContain('"Circuit Breaker"');
    const model = await refusal({ provider: noProvider }, { topic: "Circuit Breaker", model: "gpt-4.1" });
    expect(model).toMatchObject({ code: "provider_not_configured", message: SETUP_INSTRUCTIONS });
  });

  it("names the provider's problem instead of the general instructions when there is one", async () => {
    const problem = "OPENAI_BASE_URL is set but no model is: set OPENAI_MODEL (e.g. OPENAI_MODEL=llama3.1).";
    const broken = { kind: "none" as const, problem };
    expect((await refusal({ provider: broken }, { topic: "Circuit Breaker", model: "llama3" })).message).toBe(problem);
    expect((await refusal({ provider: broken }, { topic: "限流" })).message.startsWith(`${problem}\nWithout a provider`)).toBe(true);
  });

  it("takes the first configured model by default, and refuses one that is not configured", async () => {
    const provider = { kind: "openai-compatible" as const, baseUrl: "http://127.0.0.1:1/v1", models: ["llama3", "qwen"] };
    const { studio, created } = studioCreating({ provider, config: { generationMode: "parallel" } });
    await createDocument(studio, { topic: "限流 🚦" }, anonymous);
    await createDocument(studio, { topic: "限流 🚦", model: "qwen", mode: "single" }, anonymous);
    expect(created.map((fields) => [fields.model, fields.mode])).toEqual([
      ["llama3", "parallel"],
      ["qwen", "single"],
    ]);
    const unknown = await refusal({ provider }, { topic: "x", model: "gpt-4.1" });
    expect(unknown).toMatchObject({ code: "unknown_model", message: 'Unknown model "gpt-4.1". Available: llama3, qwen (OPENAI_MODELS).' });
  });

  it("counts the start as a creation, and asks storage about no running document when the ledger names none", async () => {
    const starts: unknown[] = [];
    const admission = new GenerationAdmission({
      config: { maxConcurrentGenerations: 5, rateLimitPerHour: 5, maxTokensPerDocument: undefined, dailyTokenBudget: undefined },
      activeGenerations: () => 0,
      tokensUsedOn: async () => 0,
      countStartsSince: async () => ({ count: 0, oldest: null }),
      recordStart: async (...args) => void starts.push(args),
    });
    const { studio, created } = studioCreating({
      admission,
      store: {
        get: async (id: unknown) => {
          throw new Error(`storage asked for ${String(id)}`);
        },
        create: async (fields: Partial<DesignDocument>) => (created.push(fields), { ...fields, status: "generating" } as DesignDocument),
      },
    });
    const client: Requester = { clientKey: "ip:203.0.113.7", scope: "ip:203.0.113.7", tokenHolder: false, editToken: null };
    const result = await createDocument(studio, { topic: "限流 🚦", fresh: true }, client);
    expect(result.outcome).toBe("created");
    expect(created[0]).toMatchObject({ ownerScope: "ip:203.0.113.7", clientKey: "ip:203.0.113.7" });
    expect(starts).toEqual([["ip:203.0.113.7", "create", result.document.id]]);
  });
});

