import "server-only";
import type { Kysely, Selectable } from "kysely";
import { HISTORY_KINDS, type DesignDocument, type DocumentStatus, type HistoryEntry } from "@/lib/documents/types";
import type { SectionReport } from "@/lib/sections/analyzer";
import { connectDatabase, parseDatabaseUrl } from "./connect";
import { migrateToLatest } from "./migrations";
import type { DocumentsTable, StudioDatabase } from "./schema";

export interface NewDocument {
  id: string;
  topic: string;
  topicKey: string;
  model: string;
  promptVersion: string;
  clientKey: string | null;
}

export interface FinishedFields {
  status: DocumentStatus;
  markdown: string;
  error: string | null;
  report: SectionReport | null;
  continuations: number;
  history: readonly HistoryEntry[];
}

/** What a checkpoint writes: the state of a running generation. */
export interface CheckpointFields {
  markdown: string;
  continuations: number;
  history: readonly HistoryEntry[];
}

function parseHistory(json: string | null | undefined): HistoryEntry[] {
  try {
    const entries: unknown = JSON.parse(json ?? "[]");
    if (!Array.isArray(entries)) return [];
    return entries.filter(
      (entry): entry is HistoryEntry =>
        typeof entry?.at === "string" && typeof entry?.message === "string" && (HISTORY_KINDS as readonly unknown[]).includes(entry?.kind),
    );
  } catch {
    return [];
  }
}

function toDocument(row: Selectable<DocumentsTable>): DesignDocument {
  return {
    id: row.id,
    topic: row.topic,
    topicKey: row.topic_key,
    model: row.model,
    promptVersion: row.prompt_version,
    status: row.status as DocumentStatus,
    markdown: row.markdown,
    error: row.error,
    report: row.report ? (JSON.parse(row.report) as SectionReport) : null,
    continuations: Number(row.continuations),
    history: parseHistory(row.history),
    clientKey: row.client_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const now = () => new Date().toISOString();

/** All persistence of documents. Dialect-neutral: the same queries run on SQLite and PostgreSQL. */
export class DocumentStore {
  private constructor(private readonly db: Kysely<StudioDatabase>) {}

  static async open(databaseUrl: string | undefined): Promise<DocumentStore> {
    const db = await connectDatabase(parseDatabaseUrl(databaseUrl));
    await migrateToLatest(db as Kysely<unknown>);
    return new DocumentStore(db);
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
      history: "[]",
      client_key: input.clientKey,
      created_at: timestamp,
      updated_at: timestamp,
    } satisfies Selectable<DocumentsTable>;
    await this.db.insertInto("documents").values(row).execute();
    return toDocument(row);
  }

  async get(id: string): Promise<DesignDocument | null> {
    const row = await this.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDocument(row) : null;
  }

  /** Persist the text streamed so far; a crash after this loses only what arrives later. */
  async checkpoint(id: string, fields: CheckpointFields): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({ markdown: fields.markdown, continuations: fields.continuations, history: JSON.stringify(fields.history), updated_at: now() })
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
        error: fields.error,
        report: fields.report ? JSON.stringify(fields.report) : null,
        continuations: fields.continuations,
        history: JSON.stringify(fields.history),
        updated_at: now(),
      })
      .where("id", "=", id)
      // Only the job that owns a `generating` row may finish it: a row a restarted server has
      // already marked `interrupted` is not overwritten by a zombie job.
      .where("status", "=", "generating")
      .execute();
  }

  /** Puts a finished document back to `generating` (Continue keeps the text and history, Retry clears them). */
  async restart(id: string, fields: CheckpointFields): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({
        status: "generating",
        markdown: fields.markdown,
        continuations: fields.continuations,
        history: JSON.stringify(fields.history),
        error: null,
        report: null,
        updated_at: now(),
      })
      .where("id", "=", id)
      .execute();
  }

  /** Documents a dead process left `generating` can never finish on their own. */
  async markInterrupted(message: string): Promise<number> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: message, updated_at: now() })
      .where("status", "=", "generating")
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async findLatestByKey(
    key: { topicKey: string; model: string; promptVersion: string },
    statuses: readonly DocumentStatus[],
  ): Promise<DesignDocument | null> {
    const row = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("topic_key", "=", key.topicKey)
      .where("model", "=", key.model)
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
      .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("created_at").as("oldest")])
      .where("client_key", "=", clientKey)
      .where("created_at", ">", sinceIso)
      .executeTakeFirst();
    return { count: Number(row?.count ?? 0), oldest: (row?.oldest as string | null | undefined) ?? null };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
