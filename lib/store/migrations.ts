import "server-only";
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from "kysely";
import { addColumns, createTable, type NewColumn, notNull, notNullDefault, primaryKey } from "./migration-columns";

/** Most migrations are portable; a few fix what only one dialect enforces. */
function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** When something happened: an ISO-8601 UTC string of fixed width, so text order is time order (see below). */
const TIMESTAMP: NewColumn = ["varchar(32)", notNull];
/** A document's id, where another table refers to one (documents.id is a varchar(64) primary key). */
const DOCUMENT_ID: NewColumn = ["varchar(64)", notNull];

/**
 * Migrations live in code (not a folder scanned at runtime) so they ship inside the Next.js bundle.
 * Append new ones; never change what one that has run does (rewriting its code must leave its
 * statements as they were). Column types are the portable subset of SQLite and PostgreSQL
 * (no booleans, JSON or timestamps: text, integer, and ISO-8601 strings, which order the same in both).
 * Names start with the day they were written; branches merged later may add names that sort earlier,
 * which is why the migrator allows unordered migrations (they are independent column additions).
 */
const migrations: Record<string, Migration> = {
  "2026-11-25-001-documents": {
    async up(db: Kysely<unknown>) {
      await createTable(db, "documents", {
        id: ["varchar(64)", primaryKey],
        topic: ["text", notNull],
        topic_key: ["text", notNull],
        model: ["text", notNull],
        prompt_version: ["varchar(64)", notNull],
        status: ["varchar(16)", notNull],
        markdown: ["text", notNullDefault(sql`''`)],
        error: ["text"],
        report: ["text"],
        continuations: ["integer", notNullDefault(0)],
        client_key: ["varchar(128)"],
        created_at: TIMESTAMP,
        updated_at: TIMESTAMP,
      }).execute();
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
      await addColumns(db, "documents", { prompt_style: ["varchar(16)", notNullDefault("seed")] });
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
      await addColumns(db, "documents", { generation_fence: ["integer", notNullDefault(0)] });
    },
  },
  /**
   * Who may change a document (a hash of its creator's edit token), in which scope identical
   * requests may be offered it (one client, or the signed-in users), the model tokens it used,
   * and the tokens used per UTC day (DAILY_TOKEN_BUDGET).
   */
  "2026-11-30-001-hardening": {
    async up(db: Kysely<unknown>) {
      await addColumns(db, "documents", {
        edit_token_hash: ["varchar(64)"],
        owner_scope: ["text"],
        tokens_used: ["integer", notNullDefault(0)],
      });
      await db.schema.createIndex("documents_updated").on("documents").column("updated_at").execute();
      await createTable(db, "token_usage", { day: ["varchar(10)", primaryKey], tokens: ["bigint", notNullDefault(0)] }).execute();
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
      await addColumns(db, "documents", {
        version: ["integer", notNullDefault(1)],
        pass_version: ["integer", notNullDefault(1)],
        repair: ["text"],
        repair_drafts: ["text"],
      });
      await createTable(db, "document_versions", {
        document_id: DOCUMENT_ID,
        version: ["integer", notNull],
        markdown: ["text", notNull],
        reason: ["text", notNull],
        satisfied: ["integer"],
        created_at: TIMESTAMP,
      })
        .addPrimaryKeyConstraint("document_versions_pk", ["document_id", "version"])
        .execute();
      await createTable(db, "generation_starts", {
        id: ["varchar(96)", primaryKey],
        // text, like documents.client_key after i10-client-key-text: PostgreSQL enforces varchar lengths.
        client_key: ["text", notNull],
        kind: ["varchar(16)", notNull],
        document_id: DOCUMENT_ID,
        created_at: TIMESTAMP,
      }).execute();
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
      await addColumns(db, "documents", {
        generation_mode: ["varchar(16)", notNullDefault("single")],
        parallel_state: ["text"],
        input_tokens: ["integer", notNullDefault(0)],
        output_tokens: ["integer", notNullDefault(0)],
      });
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
      // Why the pass that made the next version started again (Retry, Regenerate, a section's retry).
      await addColumns(db, "documents", { pass_reason: ["text"] });
    },
  },
  "2026-12-01-001-document-history": {
    async up(db: Kysely<unknown>) {
      // JSON array of {at, kind, message}: the automatic recoveries of a generation.
      await addColumns(db, "documents", { history: ["text", notNullDefault(sql`'[]'`)] });
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
