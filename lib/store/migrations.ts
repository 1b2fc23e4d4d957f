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
  "2026-12-01-001-document-history": {
    async up(db: Kysely<unknown>) {
      // JSON array of {at, kind, message}: the automatic recoveries of a generation.
      await db.schema.alterTable("documents").addColumn("history", "text", (col) => col.notNull().defaultTo(sql`'[]'`)).execute();
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
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}
