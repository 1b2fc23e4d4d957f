import "server-only";
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from "kysely";

/** Most migrations are portable; a few fix what only one dialect enforces. */
function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Migrations live in code (not a folder scanned at runtime) so they ship inside the Next.js bundle.
 * Append new ones; never edit one that has run. Column types are the portable subset of SQLite and PostgreSQL
 * (no booleans, JSON or timestamps: text, integer, and ISO-8601 strings, which order the same in both).
 * Names start with the day they were written; branches merged later may add names that sort earlier,
 * which is why the migrator allows unordered migrations (they are independent column additions).
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
  // PostgreSQL enforces varchar lengths, SQLite never did: a long X-Forwarded-For value (TRUST_PROXY)
  // was stored on SQLite but failed the insert with a 500 on PostgreSQL. Now both accept it.
  "2026-11-30-i10-client-key-text": {
    async up(db: Kysely<unknown>) {
      if (!isPostgres(db)) return;
      await db.schema.alterTable("documents").alterColumn("client_key", (column) => column.setDataType("text")).execute();
    },
  },
  // Every start of a generation (create, Continue, Retry; later a take-over by another instance)
  // gets the next fence; checkpoints and the final write carry it, and the store refuses writes
  // from an older start, so a job that lost its document can never overwrite its successor.
  "2026-11-30-i10-generation-fence": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("documents")
        .addColumn("generation_fence", "integer", (column) => column.notNull().defaultTo(0))
        .execute();
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
      await db.schema.alterTable("documents").addColumn("owner_scope", "text").execute();
      await db.schema.alterTable("documents").addColumn("tokens_used", "integer", (col) => col.notNull().defaultTo(0)).execute();
      await db.schema.createIndex("documents_updated").on("documents").column("updated_at").execute();
      await db.schema
        .createTable("token_usage")
        .addColumn("day", "varchar(10)", (col) => col.primaryKey())
        .addColumn("tokens", "bigint", (col) => col.notNull().defaultTo(0))
        .execute();
    },
  },
  /**
   * Issue 9's versions and repairs: the version the text is (1: the first pass), the version the
   * stream's text channel carries, the latest repair (its record, and the replacement text in
   * flight for Continue); every version kept (Retry, Regenerate and repairs never overwrite one);
   * and the starts RATE_LIMIT_PER_HOUR counts (creations and repairs by hand), keyed by an id of
   * their own so migrate-data can page them.
   */
  "2026-11-30-i9-versions-and-repairs": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("documents").addColumn("version", "integer", (col) => col.notNull().defaultTo(1)).execute();
      await db.schema.alterTable("documents").addColumn("pass_version", "integer", (col) => col.notNull().defaultTo(1)).execute();
      await db.schema.alterTable("documents").addColumn("repair", "text").execute();
      await db.schema.alterTable("documents").addColumn("repair_drafts", "text").execute();
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
      await db.schema
        .createTable("generation_starts")
        .addColumn("id", "varchar(96)", (col) => col.primaryKey())
        // text, like documents.client_key after i10-client-key-text: PostgreSQL enforces varchar lengths.
        .addColumn("client_key", "text", (col) => col.notNull())
        .addColumn("kind", "varchar(16)", (col) => col.notNull())
        .addColumn("document_id", "varchar(64)", (col) => col.notNull())
        .addColumn("created_at", "varchar(32)", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("generation_starts_client_created").on("generation_starts").columns(["client_key", "created_at"]).execute();
      // Creations of the last hour still count against it (a SQL literal and ||: both dialects).
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const legacy = db as Kysely<{
        documents: { id: string; client_key: string | null; created_at: string };
        generation_starts: { id: string; client_key: string; kind: string; document_id: string; created_at: string };
      }>;
      await legacy
        .insertInto("generation_starts")
        .columns(["id", "client_key", "kind", "document_id", "created_at"])
        .expression(
          legacy
            .selectFrom("documents")
            .select((eb) => [
              sql<string>`'create:' || ${eb.ref("id")}`.as("id"),
              eb.ref("client_key").$notNull().as("client_key"),
              sql<string>`'create'`.as("kind"),
              eb.ref("id").as("document_id"),
              eb.ref("created_at").as("created_at"),
            ])
            .where("client_key", "is not", null)
            .where("created_at", ">", hourAgo),
        )
        .execute();
    },
  },
  /**
   * Parallel generation (issue 11): how the first pass was written (`single` for every earlier
   * document), the outline and every part's text and state as JSON (parallel documents only), and
   * the input and output parts of the tokens used (earlier documents have only the total).
   */
  "2026-12-02-i11-generation-mode": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("documents")
        .addColumn("generation_mode", "varchar(16)", (col) => col.notNull().defaultTo("single"))
        .execute();
      await db.schema.alterTable("documents").addColumn("parallel_state", "text").execute();
      await db.schema.alterTable("documents").addColumn("input_tokens", "integer", (col) => col.notNull().defaultTo(0)).execute();
      await db.schema.alterTable("documents").addColumn("output_tokens", "integer", (col) => col.notNull().defaultTo(0)).execute();
    },
  },
  /**
   * Why the version a first pass writes exists when it is not the document's first (issue 12): the
   * Retry, Regenerate or section retry that started it, written at that start so that whichever
   * instance stores the version (after a takeover or a restart too) can say so. Null: the first
   * pass, or a start from before this column.
   */
  "2026-12-03-i12-pass-reason": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("documents").addColumn("pass_reason", "text").execute();
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

function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider, allowUnorderedMigrations: true });
}

/** The migrator of the studio's schema (tests step it through the migrations one by one). */
export function studioMigrator(db: Kysely<unknown>): Migrator {
  return migrator(db);
}

/**
 * Applies every migration this version knows and the database has not run. On PostgreSQL the
 * migrator holds an advisory lock, so instances starting together migrate once, one after another.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`, { cause: error });
  }
}

/** Migrations this version knows that the database has not run yet (none: it is up to date). */
export async function pendingMigrations(db: Kysely<unknown>): Promise<string[]> {
  const known = await migrator(db).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
