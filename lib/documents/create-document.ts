import "server-only";
import { randomBytes } from "node:crypto";
import { getLibrary, findExampleByTopic } from "@/lib/examples/library";
import { DEMO_MODEL_ID } from "@/lib/examples/demo-model-id";
import { SETUP_INSTRUCTIONS } from "@/lib/generation/provider";
import type { Studio } from "@/lib/studio";
import { generationKey } from "./admission";
import type { CreateDocumentInput } from "./create-document-input";
import { DocumentError } from "./document-error";
import { newEditToken } from "./edit-token";
import type { GenerationMode } from "./generation-mode";
import type { Requester } from "./requester";
import { startGeneration } from "./start-generation";
import { topicKey } from "./topic";
import { isRunningStatus, type DesignDocument } from "./types";

export type CreateDocumentResult =
  /** `editToken` lets its creator stop, continue, retry and delete it; it is given only here. */
  | { outcome: "created"; document: DesignDocument; editToken: string }
  /** An identical generation is running: this request attached to it instead of calling the model again. */
  | { outcome: "coalesced"; document: DesignDocument }
  /** The same topic, model, prompt style, version and mode already produced a complete document. */
  | { outcome: "already_generated"; document: DesignDocument };

/** 128 random bits, URL-safe: permalinks cannot be guessed. */
function newDocumentId(): string {
  return randomBytes(16).toString("base64url");
}

function chooseModel(studio: Studio, topic: string, requested: string | undefined): string {
  const { provider } = studio;
  if (provider.kind === "none") {
    if (requested && requested !== DEMO_MODEL_ID) {
      throw new DocumentError("provider_not_configured", `${provider.problem ?? SETUP_INSTRUCTIONS}`);
    }
    if (!findExampleByTopic(topic)) {
      const topics = getLibrary().map((example) => `"${example.topic}"`).join(", ");
      throw new DocumentError(
        "provider_not_configured",
        `${provider.problem ?? SETUP_INSTRUCTIONS}\nWithout a provider, the demo can stream these example topics: ${topics}.`,
      );
    }
    return DEMO_MODEL_ID;
  }
  const model = requested ?? provider.models[0];
  if (!model || !provider.models.includes(model)) {
    throw new DocumentError("unknown_model", `Unknown model "${requested}". Available: ${provider.models.join(", ")} (OPENAI_MODELS).`);
  }
  return model;
}

/** The demo model streams whole example documents: it cannot answer an outline or a single section. */
function chooseMode(studio: Studio, model: string, requested: GenerationMode | undefined): GenerationMode {
  if (model === DEMO_MODEL_ID) return "single";
  return requested ?? studio.config.generationMode;
}

/**
 * Creates a document and starts its generation, unless an identical one from the requester's
 * scope is running (attach to it) or already finished (offer it). A requester without a scope
 * (clients cannot be told apart) always gets a document of its own.
 */
export async function createDocument(studio: Studio, input: CreateDocumentInput, requester: Requester): Promise<CreateDocumentResult> {
  const model = chooseModel(studio, input.topic, input.model);
  const key = {
    topicKey: topicKey(input.topic),
    model,
    promptStyle: studio.prompt.style,
    promptVersion: studio.prompt.version,
    mode: chooseMode(studio, model, input.mode),
  };
  const { scope } = requester;

  const create = async (): Promise<CreateDocumentResult> => {
    if (!input.fresh && scope !== null) {
      const existing = await studio.store.findLatestByKey(key, ["complete"], scope);
      if (existing) return { outcome: "already_generated", document: existing };
    }
    await studio.admission.admit(requester.clientKey);
    const edit = newEditToken();
    const document = await studio.store.create({
      id: newDocumentId(),
      topic: input.topic,
      topicKey: key.topicKey,
      model,
      promptStyle: key.promptStyle,
      promptVersion: key.promptVersion,
      clientKey: requester.clientKey,
      editTokenHash: edit.hash,
      ownerScope: scope,
      mode: key.mode,
    });
    await studio.admission.recordStart(requester.clientKey, "create", document.id);
    await startGeneration(studio, document);
    return { outcome: "created", document, editToken: edit.token };
  };
  if (scope === null) return create();

  const generation = generationKey(key);
  const running = await findRunning(studio, await studio.admission.runningDocumentId(scope, generation));
  if (running) return { outcome: "coalesced", document: running };
  const creation = await studio.admission.shareCreation(scope, generation, create);
  if (creation.shared) return { outcome: "coalesced", document: await creation.document };
  return creation.result;
}

/**
 * The document the ledger says is generating, if it still is. A job stores its final state just
 * before the ledger forgets it (on another instance, a Redis round trip later): a request in that
 * window must not be attached to a finished document as if it were running.
 */
async function findRunning(studio: Studio, id: string | undefined): Promise<DesignDocument | null> {
  if (!id) return null;
  const document = await studio.store.get(id);
  return document && isRunningStatus(document.status) ? document : null;
}
