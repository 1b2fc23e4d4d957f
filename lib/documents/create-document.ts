import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getLibrary, findExampleByTopic } from "@/lib/examples/library";
import { DEMO_MODEL_ID } from "@/lib/generation/demo-model";
import { SETUP_INSTRUCTIONS } from "@/lib/generation/provider";
import { generationKey } from "@/lib/generation/registry";
import { ApiError } from "@/lib/http/api-error";
import type { Studio } from "@/lib/studio";
import { topicKey, topicSchema } from "./topic";
import type { DesignDocument } from "./types";

export const createDocumentSchema = z.object({
  topic: topicSchema,
  model: z.string({ error: "model must be a string" }).trim().min(1, "model is empty").max(200).optional(),
  /** Generate again even if this exact document was already generated. */
  fresh: z.boolean({ error: "fresh must be true or false" }).optional(),
});

export type CreateDocumentInput = z.output<typeof createDocumentSchema>;

export type CreateDocumentResult =
  | { outcome: "created"; document: DesignDocument }
  /** An identical generation is running: this request attached to it instead of calling the model again. */
  | { outcome: "coalesced"; document: DesignDocument }
  /** The same topic, model, prompt style and version already produced a complete document. */
  | { outcome: "already_generated"; document: DesignDocument };

/** 128 random bits, URL-safe: permalinks cannot be guessed. */
export function newDocumentId(): string {
  return randomBytes(16).toString("base64url");
}

function chooseModel(studio: Studio, topic: string, requested: string | undefined): string {
  const { provider } = studio;
  if (provider.kind === "none") {
    if (requested && requested !== DEMO_MODEL_ID) {
      throw new ApiError(503, "provider_not_configured", `${provider.problem ?? SETUP_INSTRUCTIONS}`);
    }
    if (!findExampleByTopic(topic)) {
      const topics = getLibrary().map((example) => `"${example.topic}"`).join(", ");
      throw new ApiError(
        503,
        "provider_not_configured",
        `${provider.problem ?? SETUP_INSTRUCTIONS}\nWithout a provider, the demo can stream these example topics: ${topics}.`,
      );
    }
    return DEMO_MODEL_ID;
  }
  const model = requested ?? provider.models[0];
  if (!model || !provider.models.includes(model)) {
    throw new ApiError(400, "unknown_model", `Unknown model "${requested}". Available: ${provider.models.join(", ")} (OPENAI_MODELS).`);
  }
  return model;
}

async function enforceLimits(studio: Studio, clientKey: string): Promise<void> {
  const { config, registry, store } = studio;
  if (registry.activeCount >= config.maxConcurrentGenerations) {
    throw new ApiError(
      429,
      "too_many_generations",
      `${registry.activeCount} documents are being generated right now, the most this server runs at once (MAX_CONCURRENT_GENERATIONS). Try again in a minute.`,
      { "Retry-After": "30" },
    );
  }
  const hourAgo = Date.now() - 3_600_000;
  const { count, oldest } = await store.countCreatedSince(clientKey, new Date(hourAgo).toISOString());
  if (count >= config.rateLimitPerHour) {
    const retryAfter = oldest ? Math.max(1, Math.ceil((Date.parse(oldest) - hourAgo) / 1000)) : 3600;
    throw new ApiError(
      429,
      "rate_limited",
      `You have created ${count} documents in the last hour, the limit (RATE_LIMIT_PER_HOUR). Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
      { "Retry-After": String(retryAfter) },
    );
  }
}

/**
 * Creates a document and starts its generation, unless an identical one is running (attach to
 * it) or already finished (offer it). Identical requests arriving together share one creation:
 * the check and the reservation happen in the same synchronous turn.
 */
export function createDocument(studio: Studio, input: CreateDocumentInput, clientKey: string): Promise<CreateDocumentResult> {
  const model = chooseModel(studio, input.topic, input.model);
  const key = { topicKey: topicKey(input.topic), model, promptStyle: studio.prompt.style, promptVersion: studio.prompt.version };
  const generation = generationKey(key);

  const running = studio.registry.findRunning(generation);
  if (running) return attachTo(studio, running.id);
  const pending = studio.pendingCreations.get(generation) as Promise<CreateDocumentResult> | undefined;
  if (pending) return pending.then((result) => ({ outcome: "coalesced" as const, document: result.document }));

  const creation = (async (): Promise<CreateDocumentResult> => {
    if (!input.fresh) {
      const existing = await studio.store.findLatestByKey(key, ["complete"]);
      if (existing) return { outcome: "already_generated", document: existing };
    }
    await enforceLimits(studio, clientKey);
    const document = await studio.store.create({
      id: newDocumentId(),
      topic: input.topic,
      topicKey: key.topicKey,
      model,
      promptStyle: key.promptStyle,
      promptVersion: key.promptVersion,
      clientKey,
    });
    studio.registry.start(document);
    return { outcome: "created", document };
  })();
  studio.pendingCreations.set(generation, creation);
  const forget = () => studio.pendingCreations.delete(generation);
  creation.then(forget, forget);
  return creation;
}

async function attachTo(studio: Studio, id: string): Promise<CreateDocumentResult> {
  const document = await studio.store.get(id);
  if (!document) throw new ApiError(500, "internal_error", "The running document vanished from storage.");
  return { outcome: "coalesced", document };
}
