import "server-only";
import type { Kysely, Selectable } from "kysely";
import { RUNNING_STATUSES, type DesignDocument, type DocumentStatus } from "@/lib/documents/types";
import type { DocumentVersion, DocumentVersionSummary } from "@/lib/documents/versions";
import type { RepairDraft, RepairRecord } from "@/lib/repair/record";
import { isPromptStyle, type PromptStyle } from "@/lib/prompts/style";
import type { SectionReport } from "@/lib/sections/analyzer";
import { connectDatabase, parseDatabaseUrl } from "./connect";
import { migrateToLatest } from "./migrations";
import type { DocumentsTable, StudioDatabase } from "./schema";

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
  /** The version `markdown` is (unchanged when absent). */
  version?: number;
  /** The repair record as it ended (unchanged when absent). */
  repair?: RepairRecord | null;
  /** Replacement text in flight when a repair stopped (cleared when absent). */
  repairDrafts?: RepairDraft[];
}

/** A document's state when its repair stage begins. */
export interface RepairStartFields {
  markdown: string;
  report: SectionReport | null;
  version: number;
  /** The version the stream's text channel carries from now on (the text the job starts from). */
  passVersion: number;
  repair: RepairRecord;
  continuations: number;
}

export type StoredVersion = DocumentVersion;

function parseJson<T>(value: string | null): T | null {
  return value ? (JSON.parse(value) as T) : null;
}

function versionRow(id: string, version: StoredVersion) {
  return { document_id: id, version: version.version, markdown: version.markdown, reason: version.reason, satisfied: version.satisfied, created_at: version.createdAt };
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
    version: Number(row.version),
    passVersion: Number(row.pass_version),
    repair: parseJson<RepairRecord>(row.repair),
    repairDrafts: parseJson<RepairDraft[]>(row.repair_drafts) ?? [],
  };
}

const RUNNING = [...RUNNING_STATUSES];

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
      prompt_style: input.promptStyle,
      status: "generating",
      markdown: "",
      error: null,
      report: null,
      continuations: 0,
      client_key: input.clientKey,
      created_at: timestamp,
      updated_at: timestamp,
      version: 1,
      pass_version: 1,
      repair: null,
      repair_drafts: null,
    } satisfies Selectable<DocumentsTable>;
    await this.db.insertInto("documents").values(row).execute();
    return toDocument(row);
  }

  async get(id: string): Promise<DesignDocument | null> {
    const row = await this.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDocument(row) : null;
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
        error: fields.error,
        report: fields.report ? JSON.stringify(fields.report) : null,
        continuations: fields.continuations,
        ...(fields.version === undefined ? {} : { version: fields.version }),
        ...(fields.repair === undefined ? {} : { repair: fields.repair ? JSON.stringify(fields.repair) : null }),
        repair_drafts: fields.repairDrafts?.length ? JSON.stringify(fields.repairDrafts) : null,
        updated_at: now(),
      })
      .where("id", "=", id)
      // Only the job that owns a running row may finish it: a row a restarted server has
      // already marked `interrupted` is not overwritten by a zombie job.
      .where("status", "in", RUNNING)
      .execute();
  }

  /** The first pass is over and its repair begins (or a repair starts on a stored document): `repairing`. */
  async beginRepair(id: string, from: readonly DocumentStatus[], fields: RepairStartFields): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({
        status: "repairing",
        markdown: fields.markdown,
        report: fields.report ? JSON.stringify(fields.report) : null,
        version: fields.version,
        pass_version: fields.passVersion,
        repair: JSON.stringify(fields.repair),
        continuations: fields.continuations,
        error: null,
        updated_at: now(),
      })
      .where("id", "=", id)
      .where("status", "in", [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The repair's progress and the replacement text in flight (a crash loses at most the last second). */
  async checkpointRepair(id: string, repair: RepairRecord, drafts: readonly RepairDraft[]): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({ repair: JSON.stringify(repair), repair_drafts: drafts.length ? JSON.stringify(drafts) : null, updated_at: now() })
      .where("id", "=", id)
      .where("status", "=", "repairing")
      .execute();
  }

  /** An accepted repair round: the document moves to the new version, which is kept beside the earlier ones. */
  async acceptVersion(id: string, version: StoredVersion, report: SectionReport | null, repair: RepairRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable("documents")
        .set({ markdown: version.markdown, report: report ? JSON.stringify(report) : null, version: version.version, repair: JSON.stringify(repair), repair_drafts: null, updated_at: now() })
        .where("id", "=", id)
        .where("status", "=", "repairing")
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return;
      await trx.insertInto("document_versions").values(versionRow(id, version)).execute();
    });
  }

  /** Stores (or, for a pass that was continued, updates) the text of one version. */
  async saveVersion(id: string, version: StoredVersion): Promise<void> {
    const row = versionRow(id, version);
    await this.db
      .insertInto("document_versions")
      .values(row)
      .onConflict((conflict) => conflict.columns(["document_id", "version"]).doUpdateSet({ markdown: row.markdown, reason: row.reason, satisfied: row.satisfied }))
      .execute();
  }

  async listVersions(id: string): Promise<DocumentVersionSummary[]> {
    const rows = await this.db
      .selectFrom("document_versions")
      .select(["version", "created_at", "reason", "satisfied"])
      .where("document_id", "=", id)
      .orderBy("version", "asc")
      .execute();
    return rows.map((row) => ({ version: Number(row.version), createdAt: row.created_at, reason: row.reason, satisfied: row.satisfied === null ? null : Number(row.satisfied) }));
  }

  async getVersion(id: string, version: number): Promise<StoredVersion | null> {
    const row = await this.db.selectFrom("document_versions").selectAll().where("document_id", "=", id).where("version", "=", version).executeTakeFirst();
    return row
      ? { version: Number(row.version), createdAt: row.created_at, reason: row.reason, satisfied: row.satisfied === null ? null : Number(row.satisfied), markdown: row.markdown }
      : null;
  }

  /** Continue: a stopped document goes on from its kept text, with the same version. */
  async restart(id: string, markdown: string, continuations: number): Promise<void> {
    await this.db
      .updateTable("documents")
      .set({ status: "generating", markdown, continuations, error: null, report: null, updated_at: now() })
      .where("id", "=", id)
      .execute();
  }

  /**
   * Retry / Regenerate: a new version is generated from nothing. The current text is kept as its
   * version first (an interrupted pass has no stored version yet), so nothing is destroyed.
   */
  async startNewVersion(id: string, current: StoredVersion): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const stored = await trx
        .selectFrom("document_versions")
        .select(["markdown"])
        .where("document_id", "=", id)
        .where("version", "=", current.version)
        .executeTakeFirst();
      if (current.markdown !== "" && stored?.markdown !== current.markdown) {
        const row = versionRow(id, current);
        await trx
          .insertInto("document_versions")
          .values(row)
          .onConflict((conflict) => conflict.columns(["document_id", "version"]).doUpdateSet({ markdown: row.markdown, reason: row.reason, satisfied: row.satisfied }))
          .execute();
      }
      const latest = await trx
        .selectFrom("document_versions")
        .select((eb) => eb.fn.max("version").as("version"))
        .where("document_id", "=", id)
        .executeTakeFirst();
      const next = Math.max(Number(latest?.version ?? 0), current.version) + 1;
      await trx
        .updateTable("documents")
        .set({ status: "generating", markdown: "", continuations: 0, error: null, report: null, version: next, pass_version: next, repair: null, repair_drafts: null, updated_at: now() })
        .where("id", "=", id)
        .execute();
      return next;
    });
  }

  /** Documents a dead process left running can never finish on their own (a repair resumes with Continue). */
  async markInterrupted(message: string): Promise<number> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: message, updated_at: now() })
      .where("status", "in", RUNNING)
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
      .where("topic_key", "=", key.topicKey)
      .where("model", "=", key.model)
      .where("prompt_style", "=", key.promptStyle)
      .where("prompt_version", "=", key.promptVersion)
      .where("status", "in", [...statuses])
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toDocument(row) : null;
  }

  /** A generation a client started: a creation or a repair by hand (what RATE_LIMIT_PER_HOUR counts). */
  async recordStart(clientKey: string, kind: "create" | "repair", documentId: string): Promise<void> {
    await this.db.insertInto("generation_starts").values({ client_key: clientKey, kind, document_id: documentId, created_at: now() }).execute();
  }

  async countStartsSince(clientKey: string, sinceIso: string): Promise<{ count: number; oldest: string | null }> {
    const row = await this.db
      .selectFrom("generation_starts")
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
