import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { DesignDocument, DocumentStatus } from "@/lib/documents/types";
import { isPromptStyle, type PromptStyle } from "@/lib/prompts/style";
import type { SectionReport } from "@/lib/sections/analyzer";
import { connectDatabase, parseDatabaseUrl } from "./connect";
import { migrateToLatest } from "./migrations";
import type { DocumentsTable, StudioDatabase } from "./schema";
import { storablePrefix, storableText } from "./storable-text";

export interface NewDocument {
  id: string;
  topic: string;
  topicKey: string;
  model: string;
  promptStyle: PromptStyle;
  promptVersion: string;
  clientKey: string | null;
}

export interface FinishedFields {
  status: DocumentStatus;
  markdown: string;
  error: string | null;
  report: SectionReport | null;
  continuations: number;
}

/**
 * The generation a write belongs to: a document's id and the fence its start received. Running
 * jobs hold the document they were started with, which is one.
 */
export interface GenerationRef {
  id: string;
  fence: number;
}

function toDocument(row: Selectable<DocumentsTable>): DesignDocument {
  return {
    id: row.id,
    topic: row.topic,
    topicKey: row.topic_key,
    model: row.model,
    // A value this code does not know (written by a newer version) reads as the seed: never as the contract it may lack.
    promptStyle: isPromptStyle(row.prompt_style) ? row.prompt_style : "seed",
    promptVersion: row.prompt_version,
    status: row.status as DocumentStatus,
    markdown: row.markdown,
    error: row.error,
    report: row.report ? (JSON.parse(row.report) as SectionReport) : null,
    continuations: Number(row.continuations),
    clientKey: row.client_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    fence: Number(row.generation_fence),
    // Which instance runs a generation is known to the process running it, not to the database.
    instance: null,
  };
}

/** ISO-8601 UTC with milliseconds: fixed width, so text order is time order in every dialect and collation. */
const now = () => new Date().toISOString();

const nullableText = (text: string | null) => (text === null ? null : storableText(text));

/** All persistence of documents. Dialect-neutral: the same queries run on SQLite and PostgreSQL. */
export class DocumentStore {
  private constructor(private readonly db: Kysely<StudioDatabase>) {}

  /** Connects to DATABASE_URL and applies pending migrations. */
  static async open(databaseUrl: string | undefined): Promise<DocumentStore> {
    const db = await connectDatabase(parseDatabaseUrl(databaseUrl));
    try {
      await migrateToLatest(db as Kysely<unknown>);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new DocumentStore(db);
  }

  async create(input: NewDocument): Promise<DesignDocument> {
    const timestamp = now();
    const row = {
      id: input.id,
      topic: storableText(input.topic),
      topic_key: storableText(input.topicKey),
      model: input.model,
      prompt_version: input.promptVersion,
      prompt_style: input.promptStyle,
      status: "generating",
      markdown: "",
      error: null,
      report: null,
      continuations: 0,
      client_key: nullableText(input.clientKey),
      created_at: timestamp,
      updated_at: timestamp,
      generation_fence: 1,
    } satisfies Selectable<DocumentsTable>;
    await this.db.insertInto("documents").values(row).execute();
    return toDocument(row);
  }

  async get(id: string): Promise<DesignDocument | null> {
    const row = await this.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDocument(row) : null;
  }

  /**
   * Persist the text streamed so far; a crash after this loses only what arrives later. False when
   * the generation no longer owns the row (it was interrupted, or a later start took it over).
   * Text is stored as storable-text.ts describes.
   */
  async checkpoint(generation: GenerationRef, markdown: string, continuations: number): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({ markdown: storablePrefix(markdown), continuations, updated_at: now() })
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "generating")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The final state of a generation; false (nothing written) when it no longer owns the row. */
  async finish(generation: GenerationRef, fields: FinishedFields): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({
        status: fields.status,
        markdown: storableText(fields.markdown),
        error: nullableText(fields.error),
        report: fields.report ? JSON.stringify(fields.report) : null,
        continuations: fields.continuations,
        updated_at: now(),
      })
      .where("id", "=", generation.id)
      // Only the start that owns a `generating` row may finish it: a row a restarted server has
      // already marked `interrupted`, or that Continue has started again, is left alone.
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "generating")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Puts a stopped document back to `generating` (Continue keeps the text, Retry clears it) and
   * returns the fence of this new start. Null when the document changed since `generation` was
   * read — another request (on this instance or another) started it first.
   */
  async restart(generation: GenerationRef, state: { markdown: string; continuations: number }): Promise<number | null> {
    const row = await this.db
      .updateTable("documents")
      .set((eb) => ({
        status: "generating",
        markdown: storableText(state.markdown),
        continuations: state.continuations,
        error: null,
        report: null,
        updated_at: now(),
        generation_fence: eb("generation_fence", "+", 1),
      }))
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "!=", "generating")
      .returning("generation_fence")
      .executeTakeFirst();
    return row ? Number(row.generation_fence) : null;
  }

  /**
   * Takes over a generation that is still `generating` (its owner died, or lost its lease): returns
   * the next fence, which every later write of the new owner carries, so the old owner's
   * checkpoints and final write are refused from now on. Null when the fence moved on (another
   * owner took it over first) or the generation has ended.
   */
  async claim(generation: GenerationRef): Promise<number | null> {
    const row = await this.db
      .updateTable("documents")
      .set((eb) => ({ generation_fence: eb("generation_fence", "+", 1), updated_at: now() }))
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "generating")
      .returning("generation_fence")
      .executeTakeFirst();
    return row ? Number(row.generation_fence) : null;
  }

  /**
   * Start-up recovery: documents stored as `generating` whose last write is older than
   * `updatedBeforeIso`, and, with `stoppedWith`, documents a graceful shutdown stored as
   * `interrupted` with exactly that message.
   */
  async listUnfinished(updatedBeforeIso: string, stoppedWith?: string): Promise<DesignDocument[]> {
    const rows = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("updated_at", "<", updatedBeforeIso)
      .where((eb) =>
        stoppedWith === undefined
          ? eb("status", "=", "generating")
          : eb.or([eb("status", "=", "generating"), eb.and([eb("status", "=", "interrupted"), eb("error", "=", storableText(stoppedWith))])]),
      )
      .orderBy("created_at", "asc")
      .execute();
    return rows.map(toDocument);
  }

  /** One generation nobody runs any more, stored as `interrupted` (Continue by hand); false when it moved on. */
  async interrupt(generation: GenerationRef, message: string): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: storableText(message), updated_at: now() })
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "generating")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Documents a dead process left `generating` can never finish on their own. */
  async markInterrupted(message: string): Promise<number> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: storableText(message), updated_at: now() })
      .where("status", "=", "generating")
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async findLatestByKey(
    key: { topicKey: string; model: string; promptStyle: PromptStyle; promptVersion: string },
    statuses: readonly DocumentStatus[],
  ): Promise<DesignDocument | null> {
    const row = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("topic_key", "=", storableText(key.topicKey))
      .where("model", "=", key.model)
      .where("prompt_style", "=", key.promptStyle)
      .where("prompt_version", "=", key.promptVersion)
      .where("status", "in", [...statuses])
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toDocument(row) : null;
  }

  async countCreatedSince(clientKey: string, sinceIso: string): Promise<{ count: number; oldest: string | null }> {
    const row = await this.db
      .selectFrom("documents")
      // PostgreSQL's count() is a bigint, which node-postgres returns as a string.
      .select((eb) => [eb.fn.countAll<string | number | bigint>().as("count"), eb.fn.min("created_at").as("oldest")])
      .where("client_key", "=", storableText(clientKey))
      .where("created_at", ">", sinceIso)
      .executeTakeFirst();
    return { count: Number(row?.count ?? 0), oldest: row?.oldest ?? null };
  }

  /** A cheap query that reaches the documents table: for the health check. Throws when it cannot. */
  async ping(): Promise<void> {
    await this.db.selectFrom("documents").select("id").limit(1).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
