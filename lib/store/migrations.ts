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
  "2026-11-30-002-prompt-style": {
    async up(db: Kysely<unknown>) {
      // Every document before this migration was written with the seed prompt alone.
      await db.schema
        .alterTable("documents")
        .addColumn("prompt_style", "varchar(16)", (col) => col.notNull().defaultTo("seed"))
        .execute();
    },
  },
  "2026-11-30-003-versions-and-repairs": {
    async up(db: Kysely<unknown>) {
      // The version the text is (1: the first pass), the version the stream's text channel carries,
      // and the latest repair (its record, and the replacement text in flight for Continue).
      await db.schema.alterTable("documents").addColumn("version", "integer", (col) => col.notNull().defaultTo(1)).execute();
      await db.schema.alterTable("documents").addColumn("pass_version", "integer", (col) => col.notNull().defaultTo(1)).execute();
      await db.schema.alterTable("documents").addColumn("repair", "text").execute();
      await db.schema.alterTable("documents").addColumn("repair_drafts", "text").execute();
      // Earlier versions stay readable: Retry, Regenerate and repairs never overwrite one.
      await db.schema
        .createTable("document_versions")
        .addColumn("document_id", "varchar(64)", (col) => col.notNull())
        .addColumn("version", "integer", (col) => col.notNull())
        .addColumn("markdown", "text", (col) => col.notNull())
        .addColumn("reason", "text", (col) => col.notNull())
        .addColumn("satisfied", "integer")
        .addColumn("created_at", "varchar(32)", (col) => col.notNull())
        .addPrimaryKeyConstraint("document_versions_pk", ["document_id", "version"])
        .execute();
      // What RATE_LIMIT_PER_HOUR counts: creations and repairs by hand.
      await db.schema
        .createTable("generation_starts")
        .addColumn("client_key", "varchar(128)", (col) => col.notNull())
        .addColumn("kind", "varchar(16)", (col) => col.notNull())
        .addColumn("document_id", "varchar(64)", (col) => col.notNull())
        .addColumn("created_at", "varchar(32)", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("generation_starts_client_created").on("generation_starts").columns(["client_key", "created_at"]).execute();
      // Creations before this migration still count within the hour.
      const legacy = db as Kysely<{
        documents: { id: string; client_key: string | null; created_at: string };
        generation_starts: { client_key: string; kind: string; document_id: string; created_at: string };
      }>;
      await legacy
        .insertInto("generation_starts")
        .columns(["client_key", "kind", "document_id", "created_at"])
        .expression(
          legacy
            .selectFrom("documents")
            .select((eb) => [eb.ref("client_key").$notNull().as("client_key"), sql<string>`'create'`.as("kind"), eb.ref("id").as("document_id"), eb.ref("created_at").as("created_at")])
            .where("client_key", "is not", null),
        )
        .execute();
    },
  },
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** The migrator of the studio's schema (tests step it through the migrations one by one). */
export function studioMigrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider });
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await studioMigrator(db).migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}
