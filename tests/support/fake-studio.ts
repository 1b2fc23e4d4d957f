import type { DesignDocument } from "@/lib/documents/types";
import type { Studio } from "@/lib/studio";

/** What a use-case test gives its studio: every part is optional, and a missing part fails loudly when used. */
export interface FakeStudioParts {
  documents?: DesignDocument[];
  store?: Record<string, unknown>;
  registry?: Record<string, unknown>;
  generations?: Record<string, unknown>;
  /** Methods to fake, or a real GenerationAdmission. */
  admission?: object;
  config?: Record<string, unknown>;
  provider?: Studio["provider"];
  prompt?: Partial<Studio["prompt"]>;
}

/** Shown messages lose this word: a test can tell a redacted message from a raw one. */
export const FAKE_SECRET = "sk-fake-secret";

/**
 * A Studio for testing one use case in-process, without a database, a provider or a server:
 * `store.get` reads `documents`, nothing runs in this process, and redaction hides FAKE_SECRET.
 */
export function fakeStudio(parts: FakeStudioParts = {}): Studio {
  const documents = new Map((parts.documents ?? []).map((document) => [document.id, document]));
  /**
   * `defaults` overridden by `given`, where any other method throws when called: a use case reaching
   * for more than the test set up is a failure. A real object (a class instance) is taken as it is.
   */
  const part = (name: string, defaults: Record<string, unknown>, given: object | undefined) => {
    const real = given !== undefined && Object.getPrototypeOf(given) !== Object.prototype;
    const target: Record<string, unknown> = real ? (given as Record<string, unknown>) : { ...defaults, ...given };
    return new Proxy(target, {
      get: (object, key) => {
        if (key in object || typeof key !== "string" || key === "then") return Reflect.get(object, key);
        return () => {
          throw new Error(`${name}.${key} was not expected`);
        };
      },
    });
  };
  return {
    instance: "instance-test",
    config: { maxRepairRounds: 2, generationMode: "single", ...parts.config },
    provider: parts.provider ?? { kind: "openai-compatible", baseUrl: "http://127.0.0.1:1/v1", models: ["fake-model"] },
    prompt: { style: "contract", version: "v-test", ...parts.prompt },
    redact: (text: string) => text.replaceAll(FAKE_SECRET, "[redacted]"),
    store: part("store", { get: async (id: string) => documents.get(id) ?? null }, parts.store),
    registry: part("registry", { get: () => undefined }, parts.registry),
    generations: part("generations", { live: async () => null }, parts.generations),
    admission: part("admission", { admit: async () => {}, recordStart: async () => {} }, parts.admission),
  } as unknown as Studio;
}
