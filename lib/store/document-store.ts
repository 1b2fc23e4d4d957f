import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely, Selectable, Updateable } from "kysely";
import { isGenerationMode, type GenerationMode } from "@/lib/documents/generation-mode";
import { redactParallelProgress, type ParallelProgress } from "@/lib/documents/section-parts";
import type { RequestTokens } from "@/lib/documents/token-budget";
import { HISTORY_KINDS, RUNNING_STATUSES, type DesignDocument, type DocumentStatus, type HistoryEntry } from "@/lib/documents/types";
import type { DocumentVersion, DocumentVersionSummary } from "@/lib/documents/versions";
import { isPromptStyle, type PromptStyle } from "@/lib/prompts/style";
import { redactRepairRecord, type RepairDraft, type RepairRecord } from "@/lib/repair/record";
import type { SectionReport } from "@/lib/sections/analyzer";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { connectDatabase, type DatabaseTarget, parseDatabaseUrl } from "./connect";
import { DatabaseOpenError, describeOpenFailure } from "./open-failure";
import { migrateToLatest } from "./migrations";
import type { DocumentsTable, StudioDatabase } from "./schema";
import { storablePrefix, storableText } from "./storable-text";

/** What a new document is created with; the rest starts empty. `mode` defaults to `single`. */
export type NewDocument = Pick<DesignDocument, "id" | "topic" | "topicKey" | "model" | "promptStyle" | "promptVersion" | "clientKey" | "editTokenHash" | "ownerScope"> & { mode?: GenerationMode };

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
  /** Parallel mode: the outline and the parts as they ended (undefined leaves the stored state). */
  parallel?: ParallelProgress;
  /** The automatic recoveries of the generation (undefined leaves the stored history). */
  history?: readonly HistoryEntry[];
}

/** What a checkpoint writes beside the text (each left as stored when undefined). */
export interface CheckpointExtras {
  parallel?: ParallelProgress;
  history?: readonly HistoryEntry[];
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

/** History messages can quote a provider's answer: stored like error messages (redacted, storable). */
function storableHistory(history: readonly HistoryEntry[], redact: RedactMessage): string {
  return JSON.stringify(history.map((entry) => ({ ...entry, message: storableText(redact(entry.message)) })));
}

/** A stored state this version cannot read (written by a newer one, or damaged) reads as none: never as a guess. */
function readParallelState(json: string | null, redact: RedactMessage): ParallelProgress | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<ParallelProgress> | null;
    return value && Array.isArray(value.parts) ? redactParallelProgress({ outline: value.outline ?? null, parts: value.parts }, redact) : null;
  } catch {
    return null;
  }
}

/** Part texts are model output: stored as the text columns are (see storable-text.ts), so offsets stay valid. */
function storableParallelState(state: ParallelProgress, redact: RedactMessage): string {
  const redacted = redactParallelProgress(state, redact);
  return JSON.stringify({ ...redacted, parts: redacted.parts.map((part) => ({ ...part, text: storablePrefix(part.text) })) });
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
  /** Replacement text a stopped repair had written (Continue goes on from it); none for a new repair. */
  drafts: readonly RepairDraft[];
}

/**
 * What a new start of a stopped document begins with: Continue's kept text of the first pass, or
 * a repair (by hand, or a stopped one resumed) of the current version.
 */
export type RestartState = PassStart | { repair: RepairStartFields };

/** What a first pass starts from: its text, and in parallel mode its parts (null: none; undefined: the stored ones are kept). */
export interface PassStart {
  markdown: string;
  continuations: number;
  parallel?: ParallelProgress | null;
  /** The automatic recoveries so far (Continue keeps them, Retry clears them; undefined: the stored ones are kept). */
  history?: readonly HistoryEntry[];
}

function passStartRow(start: PassStart, redact: RedactMessage) {
  return {
    status: "generating",
    markdown: storableText(start.markdown),
    continuations: start.continuations,
    ...(start.parallel !== undefined ? { parallel_state: start.parallel ? storableParallelState(start.parallel, redact) : null } : {}),
    ...(start.history !== undefined ? { history: storableHistory(start.history, redact) } : {}),
  };
}

/** The row of a document whose repair starts (the first pass's end, or a new start of a stopped document). */
function repairStartRow(fields: RepairStartFields, redact: RedactMessage) {
  return {
    status: "repairing",
    markdown: storableText(fields.markdown),
    report: fields.report ? JSON.stringify(fields.report) : null,
    version: fields.version,
    pass_version: fields.passVersion,
    repair: JSON.stringify(redactRepairRecord(fields.repair, redact)),
    repair_drafts: draftsJson(fields.drafts),
    continuations: fields.continuations,
    error: null,
  };
}

export type StoredVersion = DocumentVersion;

/**
 * The generation a write belongs to: a document's id and the fence its start received. Running
 * jobs hold the document they were started with, which is one.
 */
export interface GenerationRef {
  id: string;
  fence: number;
}

/** Messages are untrusted (a provider's answer can quote a key): redacted when written and again when read. */
export type RedactMessage = (text: string) => string;

function parseJson<T>(value: string | null): T | null {
  return value ? (JSON.parse(value) as T) : null;
}

function toDocument(row: Selectable<DocumentsTable>, redact: RedactMessage): DesignDocument {
  const repair = parseJson<RepairRecord>(row.repair);
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
    error: row.error === null ? null : redact(row.error),
    report: row.report ? (JSON.parse(row.report) as SectionReport) : null,
    continuations: Number(row.continuations),
    history: parseHistory(row.history).map((entry) => ({ ...entry, message: redact(entry.message) })),
    clientKey: row.client_key,
    editTokenHash: row.edit_token_hash,
    ownerScope: row.owner_scope,
    tokensUsed: Number(row.tokens_used),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    mode: isGenerationMode(row.generation_mode) ? row.generation_mode : "single",
    parallel: readParallelState(row.parallel_state, redact),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
    passVersion: Number(row.pass_version),
    passReason: row.pass_reason,
    repair: repair && redactRepairRecord(repair, redact),
    repairDrafts: parseJson<RepairDraft[]>(row.repair_drafts) ?? [],
    fence: Number(row.generation_fence),
    // Which instance runs a generation is known to the process running it, not to the database.
    instance: null,
  };
}

const RUNNING = [...RUNNING_STATUSES];

/** ISO-8601 UTC with milliseconds: fixed width, so text order is time order in every dialect and collation. */
const now = () => new Date().toISOString();

const nullableText = (text: string | null) => (text === null ? null : storableText(text));

function versionRow(id: string, version: StoredVersion) {
  return {
    document_id: id,
    version: version.version,
    markdown: storableText(version.markdown),
    reason: version.reason,
    satisfied: version.satisfied,
    created_at: version.createdAt,
  };
}

/** Stores a version, or replaces the text of one stored before (a pass that was continued, a kept interrupted text). */
async function upsertVersion(db: Kysely<StudioDatabase>, row: ReturnType<typeof versionRow>): Promise<void> {
  await db
    .insertInto("document_versions")
    .values(row)
    .onConflict((conflict) => conflict.columns(["document_id", "version"]).doUpdateSet({ markdown: row.markdown, reason: row.reason, satisfied: row.satisfied }))
    .execute();
}

function toVersionSummary(row: { version: number | string; created_at: string; reason: string; satisfied: number | string | null }): DocumentVersionSummary {
  return { version: Number(row.version), createdAt: row.created_at, reason: row.reason, satisfied: row.satisfied === null ? null : Number(row.satisfied) };
}

/** Replacement text still streaming: stored as checkpoints are (storable-text.ts). */
function draftsJson(drafts: readonly RepairDraft[] | undefined): string | null {
  return drafts?.length ? JSON.stringify(drafts.map((draft) => ({ ...draft, text: storablePrefix(draft.text) }))) : null;
}

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
      history: "[]",
      client_key: nullableText(input.clientKey),
      created_at: timestamp,
      updated_at: timestamp,
      generation_fence: 1,
      edit_token_hash: input.editTokenHash,
      owner_scope: input.ownerScope,
      tokens_used: 0,
      version: 1,
      pass_version: 1,
      pass_reason: null,
      repair: null,
      repair_drafts: null,
      generation_mode: input.mode ?? "single",
      parallel_state: null,
      input_tokens: 0,
      output_tokens: 0,
    } satisfies Selectable<DocumentsTable>;
    await this.db.insertInto("documents").values(row).execute();
    return toDocument(row, this.redact);
  }

  async get(id: string): Promise<DesignDocument | null> {
    const row = await this.db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toDocument(row, this.redact) : null;
  }

  /**
   * Persist the text streamed so far; a crash after this loses only what arrives later. False when
   * the generation no longer owns the row (it was interrupted, or a later start took it over).
   * Text is stored as storable-text.ts describes.
   */
  async checkpoint(generation: GenerationRef, markdown: string, continuations: number, extras: CheckpointExtras = {}): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({
        markdown: storablePrefix(markdown),
        continuations,
        updated_at: now(),
        ...(extras.parallel ? { parallel_state: storableParallelState(extras.parallel, this.redact) } : {}),
        ...(extras.history ? { history: storableHistory(extras.history, this.redact) } : {}),
      })
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "generating")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The final state of a generation (its first pass, or its repair); false (nothing written) when it no longer owns the row. */
  async finish(generation: GenerationRef, fields: FinishedFields): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({
        status: fields.status,
        markdown: storableText(fields.markdown),
        error: fields.error === null ? null : storableText(this.redact(fields.error)),
        report: fields.report ? JSON.stringify(fields.report) : null,
        continuations: fields.continuations,
        ...(fields.version === undefined ? {} : { version: fields.version }),
        ...(fields.repair === undefined ? {} : { repair: fields.repair ? JSON.stringify(redactRepairRecord(fields.repair, this.redact)) : null }),
        repair_drafts: draftsJson(fields.repairDrafts),
        updated_at: now(),
        ...(fields.history ? { history: storableHistory(fields.history, this.redact) } : {}),
        ...(fields.parallel ? { parallel_state: storableParallelState(fields.parallel, this.redact) } : {}),
      })
      .where("id", "=", generation.id)
      // Only the start that owns a running row may finish it: a row a restarted server has
      // already marked `interrupted`, or that Continue has started again, is left alone.
      .where("generation_fence", "=", generation.fence)
      .where("status", "in", RUNNING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Starts a stopped document again and returns the fence of this new start: Continue's first pass
   * goes on from its kept text (`generating`), a repair (by hand, or a stopped one resumed) starts
   * `repairing`. Null when the document changed since `generation` was read — another request (on
   * this instance or another) started it first.
   */
  async restart(generation: GenerationRef, state: RestartState): Promise<number | null> {
    if ("repair" in state) return this.takeNextFence(this.db, generation, "stopped", repairStartRow(state.repair, this.redact));
    return this.takeNextFence(this.db, generation, "stopped", { ...passStartRow(state, this.redact), error: null, report: null });
  }

  /**
   * Retry / Regenerate (and a section's retry of a finished parallel pass): a new start that
   * generates a new version from `start` (nothing, for Retry), `reason` saying why (the reason its
   * version is stored with). The current text is kept as its version first (an interrupted pass
   * has no stored version yet), so nothing is destroyed. Null, like `restart`, when another
   * request started the document first.
   */
  async restartAsNewVersion(
    generation: GenerationRef,
    current: StoredVersion,
    reason: string,
    start: PassStart = { markdown: "", continuations: 0, parallel: null },
  ): Promise<{ fence: number; version: number } | null> {
    return this.db.transaction().execute(async (trx) => {
      const latest = await trx
        .selectFrom("document_versions")
        .select((eb) => eb.fn.max("version").as("version"))
        .where("document_id", "=", generation.id)
        .executeTakeFirst();
      const version = Math.max(Number(latest?.version ?? 0), current.version) + 1;
      const fence = await this.takeNextFence(trx, generation, "stopped", {
        ...passStartRow(start, this.redact),
        status: "generating",
        error: null,
        report: null,
        version,
        pass_version: version,
        pass_reason: reason,
        repair: null,
        repair_drafts: null,
      });
      if (fence === null) return null;
      const stored = await trx
        .selectFrom("document_versions")
        .select("markdown")
        .where("document_id", "=", generation.id)
        .where("version", "=", current.version)
        .executeTakeFirst();
      const row = versionRow(generation.id, current);
      if (row.markdown !== "" && stored?.markdown !== row.markdown) await upsertVersion(trx, row);
      return { fence, version };
    });
  }

  /**
   * The one way the fence moves on: the row is updated only if it still has the fence it was read
   * with and is `running` (a take-over) or `stopped` (a new start), and it takes the next fence.
   * Concurrent starts or take-overs (any instances) race on this single conditional update:
   * exactly one wins. Null for the others.
   */
  private async takeNextFence(
    db: Kysely<StudioDatabase>,
    generation: GenerationRef,
    when: "running" | "stopped",
    set: Updateable<DocumentsTable> = {},
  ): Promise<number | null> {
    const row = await db
      .updateTable("documents")
      .set((eb) => ({ ...set, updated_at: now(), generation_fence: eb("generation_fence", "+", 1) }))
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", when === "running" ? "in" : "not in", RUNNING)
      .returning("generation_fence")
      .executeTakeFirst();
    return row ? Number(row.generation_fence) : null;
  }

  /** The first pass is over and its repair begins in the same start (same fence): `generating` becomes `repairing`. */
  async beginRepair(generation: GenerationRef, fields: RepairStartFields): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({ ...repairStartRow(fields, this.redact), updated_at: now() })
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "generating")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The repair's progress and the replacement text in flight (a crash loses at most the last second); false when the start lost the row. */
  async checkpointRepair(generation: GenerationRef, repair: RepairRecord, drafts: readonly RepairDraft[], history?: readonly HistoryEntry[]): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({
        repair: JSON.stringify(redactRepairRecord(repair, this.redact)),
        repair_drafts: draftsJson(drafts),
        ...(history ? { history: storableHistory(history, this.redact) } : {}),
        updated_at: now(),
      })
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "=", "repairing")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** An accepted repair round: the document moves to the new version, which is kept beside the earlier ones. False when the start lost the row. */
  async acceptVersion(generation: GenerationRef, version: StoredVersion, report: SectionReport | null, repair: RepairRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = versionRow(generation.id, version);
      const result = await trx
        .updateTable("documents")
        .set({
          markdown: row.markdown,
          report: report ? JSON.stringify(report) : null,
          version: version.version,
          repair: JSON.stringify(redactRepairRecord(repair, this.redact)),
          repair_drafts: null,
          updated_at: now(),
        })
        .where("id", "=", generation.id)
        .where("generation_fence", "=", generation.fence)
        .where("status", "=", "repairing")
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await trx.insertInto("document_versions").values(row).execute();
      return true;
    });
  }

  /** Stores (or, for a pass that was continued, updates) the text of its start's version; false when the start lost the row. */
  async saveVersion(generation: GenerationRef, version: StoredVersion): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Claims the row for this start first (on PostgreSQL, a row lock until the version is written).
      const owned = await trx
        .updateTable("documents")
        .set({ updated_at: now() })
        .where("id", "=", generation.id)
        .where("generation_fence", "=", generation.fence)
        .executeTakeFirst();
      if (owned.numUpdatedRows === 0n) return false;
      await upsertVersion(trx, versionRow(generation.id, version));
      return true;
    });
  }

  async listVersions(id: string): Promise<DocumentVersionSummary[]> {
    const rows = await this.db
      .selectFrom("document_versions")
      .select(["version", "created_at", "reason", "satisfied"])
      .where("document_id", "=", id)
      .orderBy("version", "asc")
      .execute();
    return rows.map(toVersionSummary);
  }

  async getVersion(id: string, version: number): Promise<StoredVersion | null> {
    const row = await this.db.selectFrom("document_versions").selectAll().where("document_id", "=", id).where("version", "=", version).executeTakeFirst();
    return row ? { ...toVersionSummary(row), markdown: row.markdown } : null;
  }

  /**
   * Takes over a generation that is still running (`generating` or `repairing`) (its owner died, or lost its lease): returns
   * the next fence, which every later write of the new owner carries, so the old owner's
   * checkpoints and final write are refused from now on. Null when the fence moved on (another
   * owner took it over first) or the generation has ended.
   */
  async claim(generation: GenerationRef): Promise<number | null> {
    return this.takeNextFence(this.db, generation, "running");
  }

  /**
   * Start-up recovery: documents stored as running (`generating`, `repairing`) whose last write is older than
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
          ? eb("status", "in", RUNNING)
          : eb.or([eb("status", "in", RUNNING), eb.and([eb("status", "=", "interrupted"), eb("error", "=", storableText(stoppedWith))])]),
      )
      .orderBy("created_at", "asc")
      .execute();
    return rows.map((row) => toDocument(row, this.redact));
  }

  /** One generation nobody runs any more, stored as `interrupted` (Continue by hand); false when it moved on. */
  async interrupt(generation: GenerationRef, message: string): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: storableText(message), updated_at: now() })
      .where("id", "=", generation.id)
      .where("generation_fence", "=", generation.fence)
      .where("status", "in", RUNNING)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * A write that changes nothing, so a database the server may read but not write (a read-only
   * file, a read-only PostgreSQL role) is refused at start-up rather than on the first request.
   * It touches no document: at start-up another instance's live generations must be left alone.
   */
  async probeWritable(): Promise<void> {
    await this.db.updateTable("documents").set((eb) => ({ updated_at: eb.ref("updated_at") })).where("id", "=", "").execute();
  }

  /** Documents a dead process left running can never finish on their own (a repair resumes with Continue). */
  async markInterrupted(message: string): Promise<number> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: storableText(this.redact(message)), updated_at: now() })
      .where("status", "in", RUNNING)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The newest document with this generation key in `ownerScope`. */
  async findLatestByKey(
    key: { topicKey: string; model: string; promptStyle: PromptStyle; promptVersion: string; mode: GenerationMode },
    statuses: readonly DocumentStatus[],
    ownerScope: string,
  ): Promise<DesignDocument | null> {
    const row = await this.db
      .selectFrom("documents")
      .selectAll()
      .where("owner_scope", "=", ownerScope)
      .where("topic_key", "=", storableText(key.topicKey))
      .where("model", "=", key.model)
      .where("prompt_style", "=", key.promptStyle)
      .where("prompt_version", "=", key.promptVersion)
      .where("generation_mode", "=", key.mode)
      .where("status", "in", [...statuses])
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toDocument(row, this.redact) : null;
  }

  /** A generation a client started: a creation or a repair by hand (what RATE_LIMIT_PER_HOUR counts). */
  async recordStart(clientKey: string, kind: "create" | "repair", documentId: string): Promise<void> {
    await this.db
      .insertInto("generation_starts")
      .values({ id: randomUUID(), client_key: storableText(clientKey), kind, document_id: documentId, created_at: now() })
      .execute();
  }

  /** Generations this client started since `sinceIso`, and the oldest of them. */
  async countStartsSince(clientKey: string, sinceIso: string): Promise<{ count: number; oldest: string | null }> {
    const row = await this.db
      .selectFrom("generation_starts")
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

  /** Removes a document and its versions; false when there was none. */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("document_versions").where("document_id", "=", id).execute();
      const result = await trx.deleteFrom("documents").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /**
   * Removes documents not updated since `beforeIso` (running ones excepted) with their versions,
   * and usage days and generation starts before it (the rate limit only counts the last hour).
   */
  async deleteUpdatedBefore(beforeIso: string): Promise<number> {
    const deleted = await this.db.transaction().execute(async (trx) => {
      const expired = trx.selectFrom("documents").select("id").where("updated_at", "<", beforeIso).where("status", "not in", RUNNING);
      await trx.deleteFrom("document_versions").where("document_id", "in", expired).execute();
      const result = await trx.deleteFrom("documents").where("updated_at", "<", beforeIso).where("status", "not in", RUNNING).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
    await this.db.deleteFrom("token_usage").where("day", "<", beforeIso.slice(0, 10)).execute();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await this.db.deleteFrom("generation_starts").where("created_at", "<", beforeIso < hourAgo ? beforeIso : hourAgo).execute();
    return deleted;
  }

  /** Adds one model request's tokens to its document and to its UTC day; returns both new totals. */
  async addTokenUsage(id: string, usage: RequestTokens, day: string): Promise<{ document: number; day: number }> {
    const tokens = usage.total;
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("documents")
        .set((eb) => ({
          tokens_used: eb("tokens_used", "+", tokens),
          input_tokens: eb("input_tokens", "+", usage.input),
          output_tokens: eb("output_tokens", "+", usage.output),
        }))
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
