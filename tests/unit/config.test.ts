import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/env";
import { createLanguageModel, describeProvider } from "@/lib/generation/provider";
import { parseDatabaseUrl } from "@/lib/store/connect";

describe("configuration", () => {
  it("has no provider and sane limits with an empty environment", () => {
    const config = parseConfig({});
    expect(describeProvider(config)).toEqual({ kind: "none", problem: null });
    expect(config.firstTokenTimeoutMs).toBe(60_000);
    expect(config.idleTimeoutMs).toBe(60_000);
    expect(config.maxOutputTokens).toBeUndefined();
    expect(config.rateLimitPerHour).toBeGreaterThan(0);
    expect(config.accessToken).toBeUndefined();
  });

  it("uses OpenAI with a default model when only the key is set", () => {
    const provider = describeProvider(parseConfig({ OPENAI_API_KEY: "sk-test" }));
    expect(provider).toEqual({ kind: "openai", models: ["gpt-4.1"] });
  });

  it("uses an OpenAI-compatible server by base URL, with the model list", () => {
    const config = parseConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "llama3.1", OPENAI_MODELS: "qwen2.5, llama3.1 ,mistral" });
    expect(describeProvider(config)).toEqual({ kind: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1", models: ["llama3.1", "qwen2.5", "mistral"] });
  });

  it("explains a base URL without a model", () => {
    const provider = describeProvider(parseConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" }));
    expect(provider.kind).toBe("none");
    expect(provider.kind === "none" && provider.problem).toMatch(/OPENAI_MODEL/);
  });

  it("rejects nonsense with the variable's name", () => {
    expect(() => parseConfig({ IDLE_TIMEOUT_MS: "soon" })).toThrow(/IDLE_TIMEOUT_MS/);
    expect(() => parseConfig({ OPENAI_BASE_URL: "localhost" })).toThrow(/OPENAI_BASE_URL/);
  });

  it("chooses the API with OPENAI_API for any base URL; defaults: Responses for OpenAI, Chat Completions for a base URL", () => {
    const openai = parseConfig({ OPENAI_API_KEY: "sk-test" });
    const compatible = parseConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "llama3.1" });
    expect([openai.openaiApi, compatible.openaiApi]).toEqual(["responses", "chat"]);
    expect(parseConfig({ OPENAI_BASE_URL: "http://127.0.0.1:8000/v1", OPENAI_MODEL: "m", OPENAI_API: "responses" }).openaiApi).toBe("responses");
    expect(parseConfig({ OPENAI_API_KEY: "sk-test", OPENAI_API: "chat" }).openaiApi).toBe("chat");
    expect(() => parseConfig({ OPENAI_API: "completions" })).toThrow(/OPENAI_API must be responses or chat/);

    const providerOf = (config: typeof openai, modelId: string) => {
      const model = createLanguageModel(config, modelId);
      return typeof model === "string" ? model : model.provider;
    };
    expect(providerOf(openai, "gpt-4.1")).toBe("openai.responses");
    expect(providerOf(compatible, "llama3.1")).toBe("openai-compatible.chat");
    expect(providerOf({ ...compatible, openaiApi: "responses" }, "llama3.1")).toBe("openai.responses");
  });

  it("caps Retry-After waits at MAX_RETRY_AFTER_MS (default 60 s)", () => {
    expect(parseConfig({}).maxRetryAfterMs).toBe(60_000);
    expect(parseConfig({ MAX_RETRY_AFTER_MS: "5000" }).maxRetryAfterMs).toBe(5_000);
    expect(() => parseConfig({ MAX_RETRY_AFTER_MS: "1m" })).toThrow(/MAX_RETRY_AFTER_MS/);
  });

  it("reads PROMPT_STYLE: contract by default, seed for comparison, nothing else", () => {
    expect(parseConfig({}).promptStyle).toBe("contract");
    expect(parseConfig({ PROMPT_STYLE: "" }).promptStyle).toBe("contract");
    expect(parseConfig({ PROMPT_STYLE: "seed" }).promptStyle).toBe("seed");
    expect(parseConfig({ PROMPT_STYLE: " contract " }).promptStyle).toBe("contract");
    expect(() => parseConfig({ PROMPT_STYLE: "rubric" })).toThrow(/PROMPT_STYLE must be seed or contract/);
  });

  it("reads REPAIR (on by default), REPAIR_CONCURRENCY (3) and MAX_REPAIR_ROUNDS (2)", () => {
    expect(parseConfig({})).toMatchObject({ repair: true, repairConcurrency: 3, maxRepairRounds: 2 });
    expect(parseConfig({ REPAIR: "off" }).repair).toBe(false);
    expect(parseConfig({ REPAIR: "OFF" }).repair).toBe(false);
    expect(parseConfig({ REPAIR: "0" }).repair).toBe(false);
    expect(parseConfig({ REPAIR: "on" }).repair).toBe(true);
    expect(parseConfig({ REPAIR: "" }).repair).toBe(true);
    expect(() => parseConfig({ REPAIR: "sometimes" })).toThrow(/REPAIR must be on or off/);
    expect(parseConfig({ REPAIR_CONCURRENCY: "0", MAX_REPAIR_ROUNDS: "0" })).toMatchObject({ repairConcurrency: 1, maxRepairRounds: 0 });
    expect(() => parseConfig({ MAX_REPAIR_ROUNDS: "two" })).toThrow(/MAX_REPAIR_ROUNDS/);
  });

  it("reads GENERATION_MODE (single by default), SECTION_CONCURRENCY (6) and SPLIT_IMPLEMENTATION (on)", () => {
    expect(parseConfig({})).toMatchObject({ generationMode: "single", sectionConcurrency: 6, splitImplementation: true });
    expect(parseConfig({ GENERATION_MODE: " parallel ", SECTION_CONCURRENCY: "12", SPLIT_IMPLEMENTATION: "0" })).toMatchObject({
      generationMode: "parallel",
      sectionConcurrency: 12,
      splitImplementation: false,
    });
    expect(parseConfig({ GENERATION_MODE: "" }).generationMode).toBe("single");
    expect(() => parseConfig({ GENERATION_MODE: "fast" })).toThrow(/GENERATION_MODE must be single or parallel/);
    expect(() => parseConfig({ SECTION_CONCURRENCY: "0" })).toThrow(/SECTION_CONCURRENCY/);
    expect(() => parseConfig({ SPLIT_IMPLEMENTATION: "yes" })).toThrow(/SPLIT_IMPLEMENTATION must be 0 or 1/);
  });

  it("reads INSTANCE_ID, and refuses one that would not fit a log line or a header", () => {
    expect(parseConfig({}).instanceId).toBeUndefined();
    expect(parseConfig({ INSTANCE_ID: " web-1.eu:3000 " }).instanceId).toBe("web-1.eu:3000");
    expect(() => parseConfig({ INSTANCE_ID: "web 1" })).toThrow(/INSTANCE_ID/);
    expect(() => parseConfig({ INSTANCE_ID: "x".repeat(65) })).toThrow(/INSTANCE_ID/);
  });

  it("passes MAX_OUTPUT_TOKENS through", () => {
    expect(parseConfig({ MAX_OUTPUT_TOKENS: "16000" }).maxOutputTokens).toBe(16_000);
  });

  it("reads DATABASE_URL", () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ dialect: "sqlite", file: "./data/studio.db" });
    expect(parseDatabaseUrl("file:/tmp/x.db")).toEqual({ dialect: "sqlite", file: "/tmp/x.db" });
    expect(parseDatabaseUrl("file:./rel.db")).toEqual({ dialect: "sqlite", file: "./rel.db" });
    expect(parseDatabaseUrl("postgres://u@h/db")).toEqual({ dialect: "postgres", url: "postgres://u@h/db" });
    expect(() => parseDatabaseUrl("mysql://x")).toThrow(/DATABASE_URL/);
  });
  it("runs in-process without REDIS_URL, resumes by default, and reads the cluster settings", () => {
    const embedded = parseConfig({});
    expect(embedded).toMatchObject({ redisUrl: undefined, redisPrefix: "dds", autoResume: true, lockDurationMs: 10_000, stalledIntervalMs: 5_000, workerConcurrency: 8 });
    expect(parseConfig({ AUTO_RESUME: "0" }).autoResume).toBe(false);
    const cluster = parseConfig({ REDIS_URL: "redis://:secret@127.0.0.1:6379/2", REDIS_PREFIX: "studio-a", LOCK_DURATION_MS: "20000", STALLED_INTERVAL_MS: "7000", MAX_CONCURRENT_GENERATIONS: "30", WORKER_CONCURRENCY: "10" });
    expect(cluster).toMatchObject({ redisUrl: "redis://:secret@127.0.0.1:6379/2", redisPrefix: "studio-a", lockDurationMs: 20_000, stalledIntervalMs: 7_000, maxConcurrentGenerations: 30, workerConcurrency: 10 });
    expect(parseConfig({ MAX_CONCURRENT_GENERATIONS: "12" }).workerConcurrency).toBe(12);
  });

  it("refuses a REDIS_URL that is not redis://, a bad prefix and an AUTO_RESUME other than 0 or 1", () => {
    expect(() => parseConfig({ REDIS_URL: "http://127.0.0.1:6379" })).toThrow(/REDIS_URL must be a redis:\/\//);
    expect(() => parseConfig({ REDIS_PREFIX: "has space" })).toThrow(/REDIS_PREFIX/);
    expect(() => parseConfig({ AUTO_RESUME: "yes" })).toThrow(/AUTO_RESUME must be 1 or 0/);
  });
});
