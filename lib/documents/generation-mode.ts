/**
 * How a document's first pass is written: `single` (one stream of the whole master prompt) or
 * `parallel` (an outline first, then the sections as requests of their own, several at once).
 * No Node imports: configuration, storage, the API and the form share this type.
 */
export const GENERATION_MODES = ["single", "parallel"] as const;
export type GenerationMode = (typeof GENERATION_MODES)[number];
/**
 * One stream stays the default: it is what the section contract was tuned and measured with, and
 * it costs about half the tokens. `parallel` is chosen per document, or for all with GENERATION_MODE.
 */
export const DEFAULT_GENERATION_MODE: GenerationMode = "single";

export function isGenerationMode(value: unknown): value is GenerationMode {
  return (GENERATION_MODES as readonly unknown[]).includes(value);
}
