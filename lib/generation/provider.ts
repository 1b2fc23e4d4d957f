import "server-only";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import type { StudioConfig } from "@/lib/config/env";

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
 * OpenAI proper is called through its Responses API; OpenAI-compatible servers only speak
 * Chat Completions, so they get `.chat()`.
 */
export function createLanguageModel(config: StudioConfig, modelId: string): LanguageModel {
  if (config.openaiBaseUrl) {
    const compatible = createOpenAI({ baseURL: config.openaiBaseUrl, apiKey: config.openaiApiKey ?? "not-needed", name: "openai-compatible" });
    return compatible.chat(modelId);
  }
  const openai = createOpenAI({ apiKey: config.openaiApiKey });
  return openai.responses(modelId);
}
