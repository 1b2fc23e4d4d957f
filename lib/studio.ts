import "server-only";
import { getConfig, type StudioConfig } from "@/lib/config/env";
import { GenerationAdmission } from "@/lib/documents/admission";
import type { DesignDocument } from "@/lib/documents/types";
import { findExampleByTopic } from "@/lib/examples/library";
import { DEMO_MODEL_ID } from "@/lib/examples/demo-model-id";
import { demoFirstPass } from "@/lib/examples/demo-drafts";
import { createDemoModel } from "@/lib/generation/demo-model";
import { createLanguageModel, describeProvider, type ProviderSetup } from "@/lib/generation/provider";
import { GenerationRegistry } from "@/lib/generation/registry";
import { getMasterPrompt, type MasterPrompt } from "@/lib/prompts/master-prompt";
import { DocumentStore } from "@/lib/store/document-store";

/** Everything a request handler needs, built once per server process. */
export interface Studio {
  config: StudioConfig;
  provider: ProviderSetup;
  /** The master prompt of the configured PROMPT_STYLE: new documents are written with it. */
  prompt: MasterPrompt;
  store: DocumentStore;
  registry: GenerationRegistry;
  admission: GenerationAdmission;
}

export const INTERRUPTED_MESSAGE =
  "The server stopped while this document was being generated. The text up to the last checkpoint is kept: use Continue to finish it.";

export async function createStudio(config: StudioConfig): Promise<Studio> {
  const prompts = { seed: getMasterPrompt("seed"), contract: getMasterPrompt("contract") };
  const prompt = prompts[config.promptStyle];
  const store = await DocumentStore.open(config.databaseUrl);
  // This process has no jobs yet, so any `generating` row belongs to a process that died.
  await store.markInterrupted(INTERRUPTED_MESSAGE);
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
  });
  const admission = new GenerationAdmission({
    config,
    activeGenerations: () => registry.activeCount,
    countStartsSince: (clientKey, sinceIso) => store.countStartsSince(clientKey, sinceIso),
    recordStart: (clientKey, kind, documentId) => store.recordStart(clientKey, kind, documentId),
  });
  return { config, provider: describeProvider(config), prompt, store, registry, admission };
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
