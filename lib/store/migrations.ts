import "server-only";
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

/**
 * Migrations live in code (not a folder scanned at runtime) so they ship inside the Next.js bundle.
 * Append new ones; never edit one that has run. Column types are the portable subset of SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
  "2026-11-25-001-documents": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("documents")
        .addColumn("id", "varchar(64)", (col) => col.primaryKey())
        .addColumn("topic", "text", (col) => col.notNull())
        .addColumn("topic_key", "text", (col) => col.notNull())
        .addColumn("model", "text", (col) => col.notNull())
        .addColumn("prompt_version", "varchar(64)", (col) => col.notNull())
        .addColumn("status", "varchar(16)", (col) => col.notNull())
        .addColumn("markdown", "text", (col) => col.notNull().defaultTo(sql`''`))
        .addColumn("error", "text")
        .addColumn("report", "text")
        .addColumn("continuations", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("client_key", "varchar(128)")
        .addColumn("created_at", "varchar(32)", (col) => col.notNull())
        .addColumn("updated_at", "varchar(32)", (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("documents_generation_key")
        .on("documents")
        .columns(["topic_key", "model", "prompt_version", "status"])
        .execute();
      await db.schema.createIndex("documents_client_created").on("documents").columns(["client_key", "created_at"]).execute();
      await db.schema.createIndex("documents_status").on("documents").column("status").execute();
    },
  },
  /**
   * Who may change a document (a hash of its creator's edit token), in which scope identical
   * requests may be offered it (one client, or the signed-in users), the model tokens it used,
   * and the tokens used per UTC day (DAILY_TOKEN_BUDGET).
   */
  "2026-11-30-001-hardening": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("documents").addColumn("edit_token_hash", "varchar(64)").execute();
      await db.schema.alterTable("documents").addColumn("owner_scope", "varchar(160)").execute();
      await db.schema.alterTable("documents").addColumn("tokens_used", "integer", (col) => col.notNull().defaultTo(0)).execute();
      await db.schema.createIndex("documents_updated").on("documents").column("updated_at").execute();
      await db.schema
        .createTable("token_usage")
        .addColumn("day", "varchar(10)", (col) => col.primaryKey())
        .addColumn("tokens", "bigint", (col) => col.notNull().defaultTo(0))
        .execute();
    },
  },
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`, { cause: error });
  }
}
