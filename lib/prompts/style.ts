/**
 * Which master prompt writes a document: `contract` (the seed prompt plus the section
 * contract, the default) or `seed` (the user's master prompt alone, kept for comparison).
 * No Node imports: configuration, storage and the API share this type.
 */
export const PROMPT_STYLES = ["seed", "contract"] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];
export const DEFAULT_PROMPT_STYLE: PromptStyle = "contract";

export function isPromptStyle(value: unknown): value is PromptStyle {
  return typeof value === "string" && (PROMPT_STYLES as readonly string[]).includes(value);
}
