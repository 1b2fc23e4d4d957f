import "server-only";
import { getConfig, type StudioConfig } from "@/lib/config/env";
import { GenerationAdmission } from "@/lib/documents/admission";
import { spendStopReason, utcDay } from "@/lib/documents/token-budget";
import type { DesignDocument } from "@/lib/documents/types";
import { findExampleByTopic } from "@/lib/examples/library";
import { DEMO_MODEL_ID } from "@/lib/examples/demo-model-id";
import { demoFirstPass } from "@/lib/examples/demo-drafts";
import { createDemoModel } from "@/lib/generation/demo-model";
import { createLanguageModel, describeProvider, type ProviderSetup } from "@/lib/generation/provider";
import { GenerationRegistry } from "@/lib/generation/registry";
import { getInstanceId } from "@/lib/instance-id";
import { getMasterPrompt, type MasterPrompt } from "@/lib/prompts/master-prompt";
import { redactorFor } from "@/lib/redaction/configured-secrets";
import { redactConsole } from "@/lib/redaction/redacting-console";
import { DocumentStore } from "@/lib/store/document-store";

/** Everything a request handler needs, built once per server process. */
export interface Studio {
  config: StudioConfig;
  /** This process's id (INSTANCE_ID or generated): reported by /api/health and on documents it generates. */
  instance: string;
  provider: ProviderSetup;
  /** The master prompt of the configured PROMPT_STYLE: new documents are written with it. */
  prompt: MasterPrompt;
  store: DocumentStore;
  registry: GenerationRegistry;
  admission: GenerationAdmission;
  /** Removes secrets from a message before it is stored, logged or shown (lib/redaction). */
  redact(text: string): string;
}

export const INTERRUPTED_MESSAGE =
  "The server stopped while this document was being generated. The text up to the last checkpoint is kept: use Continue to finish it.";

export async function createStudio(config: StudioConfig): Promise<Studio> {
  const redact = redactorFor(config);
  redactConsole(redact);
  const prompts = { seed: getMasterPrompt("seed"), contract: getMasterPrompt("contract") };
  const prompt = prompts[config.promptStyle];
  const store = await DocumentStore.open(config.databaseUrl, {
    redactMessage: redact,
    // This process has no jobs yet, so any running row (`generating`, `repairing`) belongs to a process that died.
    prepare: (opened) => opened.markInterrupted(INTERRUPTED_MESSAGE),
  });
  const registry = new GenerationRegistry({
    store,
    config,
    prompts,
    resolveModel: (document: DesignDocument) => {
      if (document.model !== DEMO_MODEL_ID) return createLanguageModel(config, document.model);
      const example = findExampleByTopic(document.topic);
      if (!example) throw new Error(`No example document for "${document.topic}"`);
      return createDemoModel({ document: demoFirstPass(example), repairSource: example.markdown, durationSeconds: config.demoStreamSeconds });
    },
    recordUsage: async (documentId, usage) => {
      if (usage.total <= 0) return null;
      const totals = await store.addTokenUsage(documentId, usage, utcDay());
      return spendStopReason(config, { document: totals.document, today: totals.day });
    },
  });
  const admission = new GenerationAdmission({
    config,
    activeGenerations: () => registry.activeCount,
    countStartsSince: (clientKey, sinceIso) => store.countStartsSince(clientKey, sinceIso),
    recordStart: (clientKey, kind, documentId) => store.recordStart(clientKey, kind, documentId),
    tokensUsedOn: (day) => store.tokensUsedOn(day),
  });
  return { config, instance: getInstanceId(config.instanceId), provider: describeProvider(config), prompt, store, registry, admission, redact };
}

// Route handlers are bundled separately by Next.js; globalThis keeps one studio per process.
const globalForStudio = globalThis as typeof globalThis & { __designDocStudio?: Promise<Studio> };

export function getStudio(): Promise<Studio> {
  globalForStudio.__designDocStudio ??= createStudio(getConfig()).catch((error: unknown) => {
    globalForStudio.__designDocStudio = undefined;
    throw error;
  });
  return globalForStudio.__designDocStudio;
}
