import { z } from "zod";
import { DEFAULT_GENERATION_MODE, GENERATION_MODES, type GenerationMode } from "@/lib/documents/generation-mode";
import { DEFAULT_PROMPT_STYLE, PROMPT_STYLES, type PromptStyle } from "@/lib/prompts/style";

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

/** An optional whole number above zero: unset means "no limit". */
const optionalPositiveInt = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(z.string().regex(/^[1-9]\d*$/, "must be a whole number above 0").transform(Number).optional());

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
  REPAIR: optionalText.transform((value) => value?.toLowerCase()).pipe(z.enum(["on", "off", "1", "0", "true", "false"], { message: "REPAIR must be on or off" }).optional()),
  REPAIR_CONCURRENCY: positiveInt(3),
  MAX_REPAIR_ROUNDS: positiveInt(2),
  PROMPT_STYLE: optionalText.pipe(
    z.enum(PROMPT_STYLES, { message: `PROMPT_STYLE must be ${PROMPT_STYLES.join(" or ")}` }).optional(),
  ),
  PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: "PUBLIC_URL must be an http(s) URL such as https://docs.example.com" }).optional()),
  CHROMIUM_PATH: optionalText,
  PDF_RENDER_TIMEOUT_MS: positiveInt(30_000),
  PDF_QUEUE_LIMIT: positiveInt(3),
  REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/, message: "REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379" }).optional()),
  REDIS_PREFIX: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, "REDIS_PREFIX must be 1 to 64 letters, digits, '.', '_', ':' or '-'")
      .optional(),
  ),
  AUTO_RESUME: optionalText.pipe(z.enum(["0", "1"], { message: "AUTO_RESUME must be 1 or 0" }).optional()),
  LOCK_DURATION_MS: positiveInt(10_000),
  STALLED_INTERVAL_MS: positiveInt(5_000),
  WORKER_CONCURRENCY: positiveInt(0),
  INSTANCE_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, "INSTANCE_ID must be 1 to 64 letters, digits, '.', '_', ':' or '-'")
      .optional(),
  ),
  ALLOWED_ORIGINS: optionalText,
  RETENTION_DAYS: optionalPositiveInt,
  MAX_TOKENS_PER_DOCUMENT: optionalPositiveInt,
  DAILY_TOKEN_BUDGET: optionalPositiveInt,
  GENERATION_MODE: optionalText.pipe(
    z.enum(GENERATION_MODES, { message: `GENERATION_MODE must be ${GENERATION_MODES.join(" or ")}` }).optional(),
  ),
  SECTION_CONCURRENCY: optionalPositiveInt,
  SPLIT_IMPLEMENTATION: optionalText.pipe(z.enum(["0", "1"], { message: "SPLIT_IMPLEMENTATION must be 0 or 1" }).optional()),
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
  /** Master prompt for new documents: the seed alone, or with the section contract (default). */
  promptStyle: PromptStyle;
  /** Repair unsatisfied sections automatically after the first pass (REPAIR, default on). */
  repair: boolean;
  /** Sections repaired at once (REPAIR_CONCURRENCY). */
  repairConcurrency: number;
  /** Repair rounds at most (MAX_REPAIR_ROUNDS; 0 turns repairs off, by hand too). */
  maxRepairRounds: number;
  /** The origin readers use (Open Graph URLs), e.g. "https://docs.example.com"; undefined: from the request. */
  publicUrl: string | undefined;
  /** Chromium for server-side PDF rendering (optional: without it, GET …/pdf answers 503). */
  chromiumPath: string;
  pdfRenderTimeoutMs: number;
  /** PDF requests that may wait behind the one render in progress; beyond it, 429. */
  pdfQueueLimit: number;
  /** This process's id in /api/health and in a running document's `instance`; generated when unset. */
  instanceId: string | undefined;
  /** Redis shared by every instance (live fan-out, the generation queue, shared limits); undefined: one process, in-process. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key this studio writes (several studios, or test runs, can share one Redis). */
  redisPrefix: string;
  /** A restart resumes generations nobody runs any more (true), or leaves them `interrupted` for Continue (false). */
  autoResume: boolean;
  /** How long a generation's lease lasts without renewal (the queue's lock duration). */
  lockDurationMs: number;
  /** How often each instance looks for generations whose lease expired. */
  stalledIntervalMs: number;
  /** Generations one instance runs at once (with Redis); MAX_CONCURRENT_GENERATIONS caps them all together. */
  workerConcurrency: number;
  /** Other origins whose pages may send state-changing requests with the sign-in cookie. */
  allowedOrigins: string[];
  /** Documents not updated for this many days are deleted; undefined keeps them. */
  retentionDays: number | undefined;
  /** Model tokens (input + output, all requests) one document may use; undefined: no limit. */
  maxTokensPerDocument: number | undefined;
  /** Model tokens the server may use per UTC day; undefined: no limit. */
  dailyTokenBudget: number | undefined;
  /** How new documents are written when the request does not say: one stream, or outline then sections in parallel. */
  generationMode: GenerationMode;
  /** Parallel mode: model requests one document may have open at once. */
  sectionConcurrency: number;
  /** Parallel mode: section 5 (about a third of a document) is written as two parts at once. */
  splitImplementation: boolean;
}

const DEFAULT_OPENAI_MODEL = "gpt-4.1";
const DEFAULT_SECTION_CONCURRENCY = 6;

function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}

function configError(details: string): Error {
  return new Error(`Invalid configuration: ${details}`);
}

/** A base URL carrying user:password@ would put the secret into every error message that quotes the URL. */
function refuseUrlCredentials(baseUrl: string | undefined): void {
  if (!baseUrl) return;
  const url = new URL(baseUrl);
  if (url.username || url.password) {
    throw configError(
      "OPENAI_BASE_URL must not contain credentials (a name, password or token before @): remove them from the URL and put the key in OPENAI_API_KEY, which is sent as a Bearer header.",
    );
  }
}

/** "https://a.example, http://b.example:8080" → origins; anything that is not a bare http(s) origin is refused. */
function parseOrigins(list: string | undefined): string[] {
  const origins: string[] = [];
  for (const entry of (list ?? "").split(",").map((item) => item.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) {
      throw configError(`ALLOWED_ORIGINS: "${entry}" is not an http(s) origin such as https://tools.example.com`);
    }
    origins.push(url.origin);
  }
  return origins;
}

export function parseConfig(source: Record<string, string | undefined>): StudioConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw configError(details);
  }
  const env = parsed.data;
  refuseUrlCredentials(env.OPENAI_BASE_URL);
  if (isOn(env.PRIVATE_READS) && !env.ACCESS_TOKEN) {
    throw configError("PRIVATE_READS=1 needs ACCESS_TOKEN: without a token nobody could be let in to read, so set ACCESS_TOKEN or unset PRIVATE_READS.");
  }
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
    promptStyle: env.PROMPT_STYLE ?? DEFAULT_PROMPT_STYLE,
    repair: env.REPAIR === undefined || ["on", "1", "true"].includes(env.REPAIR),
    repairConcurrency: Math.max(1, env.REPAIR_CONCURRENCY),
    maxRepairRounds: env.MAX_REPAIR_ROUNDS,
    publicUrl: env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : undefined,
    chromiumPath: env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    pdfRenderTimeoutMs: Math.max(1_000, env.PDF_RENDER_TIMEOUT_MS),
    pdfQueueLimit: env.PDF_QUEUE_LIMIT,
    instanceId: env.INSTANCE_ID,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX ?? "dds",
    autoResume: env.AUTO_RESUME !== "0",
    lockDurationMs: Math.max(1_000, env.LOCK_DURATION_MS),
    stalledIntervalMs: Math.max(500, env.STALLED_INTERVAL_MS),
    workerConcurrency: env.WORKER_CONCURRENCY > 0 ? env.WORKER_CONCURRENCY : Math.max(1, env.MAX_CONCURRENT_GENERATIONS),
    allowedOrigins: parseOrigins(env.ALLOWED_ORIGINS),
    retentionDays: env.RETENTION_DAYS,
    maxTokensPerDocument: env.MAX_TOKENS_PER_DOCUMENT,
    dailyTokenBudget: env.DAILY_TOKEN_BUDGET,
    generationMode: env.GENERATION_MODE ?? DEFAULT_GENERATION_MODE,
    sectionConcurrency: env.SECTION_CONCURRENCY ?? DEFAULT_SECTION_CONCURRENCY,
    splitImplementation: env.SPLIT_IMPLEMENTATION !== "0",
  };
}

let cached: StudioConfig | undefined;

/** The process configuration. Cached: the environment does not change while the server runs. */
export function getConfig(): StudioConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
