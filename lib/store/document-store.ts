import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { DesignDocument, DocumentStatus } from "@/lib/documents/types";
import type { SectionReport } from "@/lib/sections/analyzer";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { connectDatabase, type DatabaseTarget, parseDatabaseUrl } from "./connect";
import { DatabaseOpenError, describeOpenFailure } from "./open-failure";
import { migrateToLatest } from "./migrations";
import type { DocumentsTable, StudioDatabase } from "./schema";

export interface NewDocument {
  id: string;
  topic: string;
  topicKey: string;
  model: string;
  promptVersion: string;
  clientKey: string | null;
  editTokenHash: string | null;
  ownerScope: string | null;
}

export interface FinishedFields {
  status: DocumentStatus;
  markdown: string;
  error: string | null;
  report: SectionReport | null;
  continuations: number;
}

/** Messages are untrusted (a provider's answer can quote a key): redacted when written and again when read. */
export type RedactMessage = (text: string) => string;

function toDocument(row: Selectable<DocumentsTable>, redact: RedactMessage): DesignDocument {
  return {
    id: row.id,
    topic: row.topic,
    topicKey: row.topic_key,
    model: row.model,
    promptVersion: row.prompt_version,
    status: row.status as DocumentStatus,
    markdown: row.markdown,
    error: row.error === null ? null : redact(row.error),
    report: row.report ? (JSON.parse(row.report) as SectionReport) : null,
    continuations: Number(row.continuations),
    clientKey: row.client_key,
    editTokenHash: row.edit_token_hash,
    ownerScope: row.owner_scope,
    tokensUsed: Number(row.tokens_used),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const now = () => new Date().toISOString();

async function tokensOn(db: Kysely<StudioDatabase>, day: string): Promise<number> {
  const row = await db.selectFrom("token_usage").select("tokens").where("day", "=", day).executeTakeFirst();
  return Number(row?.tokens ?? 0);
}

/** All persistence of documents. Dialect-neutral: the same queries run on SQLite and PostgreSQL. */
export class DocumentStore {
  private constructor(
    private readonly db: Kysely<StudioDatabase>,
    private readonly redact: RedactMessage,
  ) {}

  /**
   * Connects, migrates, and runs `prepare` (the start-up's first writes): a database that fails
   * any of them is reported as a DatabaseOpenError saying where and why. `redactMessage` applies
   * to every stored error message, in and out (rows written before redaction existed included).
   */
  static async open(
    databaseUrl: string | undefined,
    options: { redactMessage?: RedactMessage; prepare?: (store: DocumentStore) => Promise<unknown> } = {},
  ): Promise<DocumentStore> {
    let target: DatabaseTarget;
    try {
      target = parseDatabaseUrl(databaseUrl);
    } catch (error) {
      throw new DatabaseOpenError(`Cannot use the database: ${(error as Error).message}.`, { cause: error });
    }
    let db: Kysely<StudioDatabase> | undefined;
    try {
      db = await connectDatabase(target);
      await migrateToLatest(db as Kysely<unknown>);
      const store = new DocumentStore(db, options.redactMessage ?? redactSecrets);
      await options.prepare?.(store);
      return store;
    } catch (error) {
      await db?.destroy().catch(() => {});
      throw new DatabaseOpenError(describeOpenFailure(target, error), { cause: error });
    }
  }

  async create(input: NewDocument): Promise<DesignDocument> {
    const timestamp = now();
    const row = {
      id: input.id,
      topic: input.topic,
      topic_key: input.topicKey,
      model: input.model,
      prompt_version: input.promptVersion,
      status: "generating",
      markdown: "",
      error: null,
      report: null,
      continuations: 0,
      client_key: input.clientKey,
      created_at: timestamp,
      updated_at: timestamp,
      edit_token_hash: input.editTokenHash,
      owner_scope: input.ownerScope,
      tokens_used: 0,
    } satisfies Selectable<DocumentsTable>;
    await this.db.insertInto("documents").values(row).execute();
    return toDocument(row, this.redact);
  }

  async get(id: string): Promise<DesignDocument | null> {
    const row = await this.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDocument(row, this.redact) : null;
  }

  /** Persist the text streamed so far; a crash after this loses only what arrives later. */
  async checkpoint(id: string, markdown: string, continuations: number): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({ markdown, continuations, updated_at: now() })
      .where("id", "=", id)
      .where("status", "=", "generating")
      .execute();
  }

  async finish(id: string, fields: FinishedFields): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({
        status: fields.status,
        markdown: fields.markdown,
        error: fields.error === null ? null : this.redact(fields.error),
        report: fields.report ? JSON.stringify(fields.report) : null,
        continuations: fields.continuations,
        updated_at: now(),
      })
      .where("id", "=", id)
      // Only the job that owns a `generating` row may finish it: a row a restarted server has
      // already marked `interrupted` is not overwritten by a zombie job.
      .where("status", "=", "generating")
      .execute();
  }

  /** Puts a finished document back to `generating` (Continue keeps the text, Retry clears it). */
  async restart(id: string, markdown: string, continuations: number): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({ status: "generating", markdown, continuations, error: null, report: null, updated_at: now() })
      .where("id", "=", id)
      .execute();
  }

  /** Documents a dead process left `generating` can never finish on their own. */
  async markInterrupted(message: string): Promise<number> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: this.redact(message), updated_at: now() })
      .where("status", "=", "generating")
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The newest document with this generation key in `ownerScope`. */
  async findLatestByKey(
    key: { topicKey: string; model: string; promptVersion: string },
    statuses: readonly DocumentStatus[],
    ownerScope: string,
  ): Promise<DesignDocument | null> {
    const row = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("owner_scope", "=", ownerScope)
      .where("topic_key", "=", key.topicKey)
      .where("model", "=", key.model)
      .where("prompt_version", "=", key.promptVersion)
      .where("status", "in", [...statuses])
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toDocument(row, this.redact) : null;
  }

  async countCreatedSince(clientKey: string, sinceIso: string): Promise<{ count: number; oldest: string | null }> {
    const row = await this.db
      .selectFrom("documents")
      .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("created_at").as("oldest")])
      .where("client_key", "=", clientKey)
      .where("created_at", ">", sinceIso)
      .executeTakeFirst();
    return { count: Number(row?.count ?? 0), oldest: (row?.oldest as string | null | undefined) ?? null };
  }

  /** Removes a document; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("documents").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Removes documents not updated since `beforeIso` (running ones excepted), and usage days before it. */
  async deleteUpdatedBefore(beforeIso: string): Promise<number> {
    const result = await this.db.deleteFrom("documents").where("updated_at", "<", beforeIso).where("status", "!=", "generating").executeTakeFirst();
    await this.db.deleteFrom("token_usage").where("day", "<", beforeIso.slice(0, 10)).execute();
    return Number(result.numDeletedRows);
  }

  /** Adds one model request's tokens to its document and to its UTC day; returns both new totals. */
  async addTokenUsage(id: string, tokens: number, day: string): Promise<{ document: number; day: number }> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("documents")
        .set((eb) => ({ tokens_used: eb("tokens_used", "+", tokens) }))
        .where("id", "=", id)
        .execute();
      await trx
        .insertInto("token_usage")
        .values({ day, tokens })
        .onConflict((conflict) => conflict.column("day").doUpdateSet((eb) => ({ tokens: eb("token_usage.tokens", "+", tokens) })))
        .execute();
      const document = await trx.selectFrom("documents").select("tokens_used").where("id", "=", id).executeTakeFirst();
      return { document: Number(document?.tokens_used ?? 0), day: await tokensOn(trx, day) };
    });
  }

  /** Model tokens used on a UTC day (YYYY-MM-DD). */
  async tokensUsedOn(day: string): Promise<number> {
    return tokensOn(this.db, day);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
