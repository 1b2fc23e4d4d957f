import "server-only";
import { getConfig, type StudioConfig } from "@/lib/config/env";
import { type Generations } from "@/lib/cluster/generations";
import { InProcessGenerations } from "@/lib/cluster/in-process-generations";
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
  /** The generations this process runs (the whole pipeline of each). */
  registry: GenerationRegistry;
  /** Where generations run and how readers follow them: in-process, or across instances with Redis. */
  generations: Generations;
  admission: GenerationAdmission;
  /** Removes secrets from a message before it is stored, logged or shown (lib/redaction). */
  redact(text: string): string;
}

export { INTERRUPTED_MESSAGE } from "@/lib/cluster/messages";

export async function createStudio(config: StudioConfig): Promise<Studio> {
  const redact = redactorFor(config);
  redactConsole(redact);
  const prompts = { seed: getMasterPrompt("seed"), contract: getMasterPrompt("contract") };
  const prompt = prompts[config.promptStyle];
  // The start-up write is a probe that touches no document: another instance's live generations are
  // left alone; generations.recover() below resumes or interrupts only what nobody runs any more.
  const store = await DocumentStore.open(config.databaseUrl, { redactMessage: redact, prepare: (opened) => opened.probeWritable() });
  const instance = getInstanceId(config.instanceId);
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
  let generations: Generations;
  let ledger;
  if (config.redisUrl) {
    // Loaded only with Redis: the embedded default never opens a connection.
    const { RedisGenerations } = await import("@/lib/cluster/redis/redis-generations");
    const redis = await RedisGenerations.connect({ registry, store, config, instance, redact });
    generations = redis;
    ledger = redis.ledger;
  } else {
    generations = new InProcessGenerations({ registry, store, config, instance, redact });
  }
  const admission = new GenerationAdmission({
    config,
    activeGenerations: () => generations.activeCount(),
    countStartsSince: (clientKey, sinceIso) => store.countStartsSince(clientKey, sinceIso),
    recordStart: (clientKey, kind, documentId) => store.recordStart(clientKey, kind, documentId),
    tokensUsedOn: (day) => store.tokensUsedOn(day),
    ledger,
  });
  // Generations a dead process left behind (and only those: live leases are left alone).
  await generations.recover();
  return { config, instance, provider: describeProvider(config), prompt, store, registry, generations, admission, redact };
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
