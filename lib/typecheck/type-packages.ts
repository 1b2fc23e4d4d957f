/**
 * The packages a document's code may import with real type declarations (installed from npm,
 * pinned in package.json `dependencies`: the checker reads them at run time). Node's built-in
 * modules (`node:fs`, `events`, …) always resolve through @types/node. An import of anything
 * else is reported as advisory ("not checked"), never as an error.
 *
 * Chosen for what design documents about backend reliability import most, and for being
 * cheap: type-only @types packages where the runtime is not needed, packages that ship their
 * own declarations otherwise. A test checks that each one resolves to declarations.
 */
export interface TypePackage {
  /** The module name as imported. */
  name: string;
  /** The npm package that provides its declarations. */
  provider: string;
}

export const TYPE_PACKAGES: readonly TypePackage[] = [
  { name: "ioredis", provider: "ioredis" }, // Redis client most examples use (locks, caches, rate limits)
  { name: "redis", provider: "redis" }, // node-redis, the other Redis client
  { name: "pg", provider: "@types/pg" }, // PostgreSQL
  { name: "express", provider: "@types/express" }, // HTTP server wiring in usage sections
  { name: "undici", provider: "undici" }, // HTTP client with pools, timeouts
  { name: "axios", provider: "axios" }, // the HTTP client models reach for most
  { name: "prom-client", provider: "prom-client" }, // metrics in readiness checklists
  { name: "pino", provider: "pino" }, // structured logging
  { name: "opossum", provider: "@types/opossum" }, // circuit breaker
  { name: "bullmq", provider: "bullmq" }, // Redis-backed job queues
  { name: "kafkajs", provider: "kafkajs" }, // Kafka producers/consumers (outbox, dedup)
  { name: "amqplib", provider: "@types/amqplib" }, // RabbitMQ
  { name: "uuid", provider: "uuid" }, // idempotency keys, request ids
  { name: "lru-cache", provider: "lru-cache" }, // in-process caches
  { name: "p-limit", provider: "p-limit" }, // concurrency limits, bulkheads
  { name: "zod", provider: "zod" }, // input validation
  { name: "@opentelemetry/api", provider: "@opentelemetry/api" }, // tracing, context propagation
  { name: "ws", provider: "@types/ws" }, // WebSockets
];
