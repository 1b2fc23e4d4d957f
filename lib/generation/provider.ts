import "server-only";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import type { StudioConfig } from "@/lib/config/env";
import { providerFetch } from "./provider-fetch";

const OPENAI_BASE_URL = "https://api.openai.com/v1";

export type ProviderSetup =
  | { kind: "openai"; models: string[] }
  | { kind: "openai-compatible"; baseUrl: string; models: string[] }
  | { kind: "none"; problem: string | null };

export function describeProvider(config: StudioConfig): ProviderSetup {
  if (config.openaiBaseUrl) {
    if (config.models.length === 0) {
      return { kind: "none", problem: "OPENAI_BASE_URL is set but no model is: set OPENAI_MODEL (e.g. OPENAI_MODEL=llama3.1)." };
    }
    return { kind: "openai-compatible", baseUrl: config.openaiBaseUrl, models: config.models };
  }
  if (config.openaiApiKey) return { kind: "openai", models: config.models };
  return { kind: "none", problem: null };
}

/** Exactly what to set, shown on the home page and in the 503 of POST /api/documents. */
export const SETUP_INSTRUCTIONS = [
  "No model provider is configured. Set one of these in the environment (or in .env.local) and restart:",
  "  OpenAI:  OPENAI_API_KEY=sk-…  (optional: OPENAI_MODEL=gpt-4.1)",
  "  Ollama or any OpenAI-compatible server (vLLM, LM Studio, OpenRouter):",
  "           OPENAI_BASE_URL=http://127.0.0.1:11434/v1  OPENAI_MODEL=llama3.1",
].join("\n");

/**
 * OPENAI_API chooses the API for any base URL (default: the Responses API for OpenAI proper,
 * Chat Completions for OPENAI_BASE_URL, which is what compatible servers speak). Chat Completions
 * go through @ai-sdk/openai-compatible: unlike @ai-sdk/openai's `.chat()`, it surfaces the
 * `reasoning_content` / `reasoning` deltas of reasoning models (progress, not document text) and
 * reports a stream that ends without a finish reason.
 */
export function createLanguageModel(config: StudioConfig, modelId: string): LanguageModel {
  const apiKey = config.openaiApiKey;
  if (config.openaiApi === "chat") {
    const compatible = createOpenAICompatible({
      name: "openai-compatible",
      baseURL: config.openaiBaseUrl ?? OPENAI_BASE_URL,
      apiKey, // local servers need none: no Authorization header is sent then
      includeUsage: true,
      // Parallel mode's outline asks for a JSON schema (`response_format: json_schema`), as
      // @ai-sdk/openai's chat model sent it; a server that refuses it gets the outline's retry without.
      supportsStructuredOutputs: true,
      fetch: providerFetch,
    });
    return compatible.chatModel(modelId);
  }
  const openai = createOpenAI({ baseURL: config.openaiBaseUrl, apiKey: apiKey ?? "not-needed", fetch: providerFetch });
  return openai.responses(modelId);
}
