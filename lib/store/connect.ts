import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import type { StudioDatabase } from "./schema";

const DEFAULT_SQLITE_PATH = "./data/studio.db";

export type DatabaseTarget = { dialect: "sqlite"; file: string } | { dialect: "postgres"; url: string };

/** `DATABASE_URL`: unset → ./data/studio.db; `file:PATH` → that SQLite file; `postgres://…` → PostgreSQL. */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { dialect: "sqlite", file: DEFAULT_SQLITE_PATH };
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (!file) throw new Error("DATABASE_URL=file: needs a path, e.g. file:./data/studio.db");
    return { dialect: "sqlite", file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", url };
  throw new Error(`DATABASE_URL has an unsupported scheme "${url.split(":")[0]}:": use file:PATH (SQLite) or postgres://… (PostgreSQL)`);
}

export interface ConnectOptions {
  /** Open a SQLite file read-only (migrate-data reads its source this way); it must exist. */
  readonly?: boolean;
}

/** How long a request waits for a PostgreSQL connection before it fails instead of hanging. */
const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

export async function connectDatabase(target: DatabaseTarget, options: ConnectOptions = {}): Promise<Kysely<StudioDatabase>> {
  if (target.dialect === "sqlite") {
    const { default: SqliteDatabase } = await import("better-sqlite3");
    if (target.file !== ":memory:" && !options.readonly) mkdirSync(path.dirname(path.resolve(target.file)), { recursive: true });
    const database = new SqliteDatabase(target.file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    try {
      // WAL lets readers (permalink pages, streams) proceed while a checkpoint writes.
      if (!options.readonly) database.pragma("journal_mode = WAL");
      database.pragma("synchronous = NORMAL");
      database.pragma("busy_timeout = 5000");
    } catch (error) {
      database.close();
      throw error;
    }
    return new Kysely<StudioDatabase>({ dialect: new SqliteDialect({ database }) });
  }
  const { Pool } = await import("pg");
  const pool = new Pool({
    connectionString: target.url,
    max: 10,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    application_name: "design-doc-studio",
  });
  // A connection the server or the network drops (restart, failover, a reset) reports an 'error'
  // event. pg-pool listens only while the connection is idle; one that drops in the middle of a
  // query would have no listener and Node would end the whole process. So every connection gets
  // one listener of its own for its whole life: the query fails, the pool discards the connection
  // when it comes back, and the next query opens a new one.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error(`PostgreSQL connection lost: ${redactSecrets(error.message)}`));
  });
  // The pool re-emits an idle connection's error; the connection's own listener has logged it.
  pool.on("error", () => {});
  return new Kysely<StudioDatabase>({ dialect: new PostgresDialect({ pool }) });
}
