import { z } from "zod";

/**
 * Server configuration, read from the environment once per process.
 * Every variable here is part of the public contract and is documented in README.md and .env.example.
 */
const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .optional()
    .transform((value) => value ?? fallback);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const envSchema = z.object({
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url({ message: "OPENAI_BASE_URL must be a URL such as http://127.0.0.1:11434/v1" }).optional()),
  OPENAI_MODEL: optionalText,
  OPENAI_MODELS: optionalText,
  OPENAI_API: optionalText.pipe(z.enum(["responses", "chat"], { message: "OPENAI_API must be responses or chat" }).optional()),
  DATABASE_URL: optionalText,
  FIRST_TOKEN_TIMEOUT_MS: positiveInt(60_000),
  IDLE_TIMEOUT_MS: positiveInt(60_000),
  MAX_OUTPUT_TOKENS: positiveInt(0),
  MAX_CONTINUATIONS: positiveInt(4),
  MAX_ATTEMPTS: positiveInt(3),
  RETRY_BASE_DELAY_MS: positiveInt(1_000),
  MAX_RETRY_AFTER_MS: positiveInt(60_000),
  CHECKPOINT_INTERVAL_MS: positiveInt(500),
  DEMO_STREAM_SECONDS: positiveInt(30),
  RATE_LIMIT_PER_HOUR: positiveInt(30),
  MAX_CONCURRENT_GENERATIONS: positiveInt(8),
  MAX_BODY_BYTES: positiveInt(4_096),
  ACCESS_TOKEN: optionalText,
  PRIVATE_READS: optionalText,
  TRUST_PROXY: optionalText,
});

export interface StudioConfig {
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  /** Which OpenAI API the provider speaks: the Responses API, or Chat Completions. */
  openaiApi: "responses" | "chat";
  /** Model ids the form offers; the first is the default. Empty when no provider is configured. */
  models: string[];
  databaseUrl: string | undefined;
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  /** undefined lets the provider decide. */
  maxOutputTokens: number | undefined;
  maxContinuations: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  /** The longest wait a provider's Retry-After may impose before the next attempt. */
  maxRetryAfterMs: number;
  checkpointIntervalMs: number;
  demoStreamSeconds: number;
  rateLimitPerHour: number;
  maxConcurrentGenerations: number;
  maxBodyBytes: number;
  accessToken: string | undefined;
  privateReads: boolean;
  trustProxy: boolean;
}

const DEFAULT_OPENAI_MODEL = "gpt-4.1";

function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

export function parseConfig(source: Record<string, string | undefined>): StudioConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid configuration: ${details}`);
  }
  const env = parsed.data;
  const listed = (env.OPENAI_MODELS ?? "")
    .split(",")
    .map((model) => model.trim())
    .filter(Boolean);
  const providerConfigured = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  const defaultModel = env.OPENAI_MODEL ?? listed[0] ?? (env.OPENAI_API_KEY && !env.OPENAI_BASE_URL ? DEFAULT_OPENAI_MODEL : undefined);
  const models = providerConfigured && defaultModel ? [defaultModel, ...listed.filter((model) => model !== defaultModel)] : [];

  return {
    openaiApiKey: env.OPENAI_API_KEY,
    openaiBaseUrl: env.OPENAI_BASE_URL,
    // OpenAI itself speaks the Responses API; most compatible servers only Chat Completions.
    openaiApi: env.OPENAI_API ?? (env.OPENAI_BASE_URL ? "chat" : "responses"),
    models,
    databaseUrl: env.DATABASE_URL,
    firstTokenTimeoutMs: env.FIRST_TOKEN_TIMEOUT_MS,
    idleTimeoutMs: env.IDLE_TIMEOUT_MS,
    maxOutputTokens: env.MAX_OUTPUT_TOKENS > 0 ? env.MAX_OUTPUT_TOKENS : undefined,
    maxContinuations: env.MAX_CONTINUATIONS,
    maxAttempts: Math.max(1, env.MAX_ATTEMPTS),
    retryBaseDelayMs: env.RETRY_BASE_DELAY_MS,
    maxRetryAfterMs: env.MAX_RETRY_AFTER_MS,
    checkpointIntervalMs: Math.max(50, Math.min(env.CHECKPOINT_INTERVAL_MS, 1_000)),
    demoStreamSeconds: env.DEMO_STREAM_SECONDS,
    rateLimitPerHour: env.RATE_LIMIT_PER_HOUR,
    maxConcurrentGenerations: Math.max(1, env.MAX_CONCURRENT_GENERATIONS),
    maxBodyBytes: env.MAX_BODY_BYTES,
    accessToken: env.ACCESS_TOKEN,
    privateReads: isOn(env.PRIVATE_READS),
    trustProxy: isOn(env.TRUST_PROXY),
  };
}

let cached: StudioConfig | undefined;

/** The process configuration. Cached: the environment does not change while the server runs. */
export function getConfig(): StudioConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
