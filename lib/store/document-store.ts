import "server-only";
import type { Kysely, Selectable } from "kysely";
import { isGenerationMode, type GenerationMode } from "@/lib/documents/generation-mode";
import type { ParallelProgress } from "@/lib/documents/section-parts";
import type { RequestTokens } from "@/lib/documents/token-budget";
import type { DesignDocument, DocumentStatus } from "@/lib/documents/types";
import { isPromptStyle, type PromptStyle } from "@/lib/prompts/style";
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
  /** Parallel mode: the outline and the parts as they ended (undefined leaves the stored state). */
  parallel?: ParallelProgress;
}

/** A stored state this version cannot read (written by a newer one, or damaged) reads as none: never as a guess. */
function readParallelState(json: string | null): ParallelProgress | null {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<ParallelProgress> | null;
    return value && Array.isArray(value.parts) ? { outline: value.outline ?? null, parts: value.parts } : null;
  } catch {
    return null;
  }
}

/** Part texts are model output: stored as the text columns are (see storable-text.ts), so offsets stay valid. */
function storableParallelState(state: ParallelProgress): string {
  return JSON.stringify({ ...state, parts: state.parts.map((part) => ({ ...part, text: storablePrefix(part.text) })) });
}

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

function toDocument(row: Selectable<DocumentsTable>, redact: RedactMessage): DesignDocument {
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
    clientKey: row.client_key,
    editTokenHash: row.edit_token_hash,
    ownerScope: row.owner_scope,
    tokensUsed: Number(row.tokens_used),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    mode: isGenerationMode(row.generation_mode) ? row.generation_mode : "single",
    parallel: readParallelState(row.parallel_state),
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
      client_key: nullableText(input.clientKey),
      created_at: timestamp,
      updated_at: timestamp,
      generation_fence: 1,
      edit_token_hash: input.editTokenHash,
      owner_scope: input.ownerScope,
      tokens_used: 0,
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
  async checkpoint(generation: GenerationRef, markdown: string, continuations: number, parallel?: ParallelProgress): Promise<boolean> {
    const result = await this.db
      .updateTable("documents")
      .set({
        markdown: storablePrefix(markdown),
        continuations,
        updated_at: now(),
        ...(parallel ? { parallel_state: storableParallelState(parallel) } : {}),
      })
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
        error: fields.error === null ? null : storableText(this.redact(fields.error)),
        report: fields.report ? JSON.stringify(fields.report) : null,
        continuations: fields.continuations,
        updated_at: now(),
        ...(fields.parallel ? { parallel_state: storableParallelState(fields.parallel) } : {}),
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
  async restart(generation: GenerationRef, state: { markdown: string; continuations: number; parallel?: ParallelProgress | null }): Promise<number | null> {
    const row = await this.db
      .updateTable("documents")
      .set((eb) => ({
        status: "generating",
        markdown: storableText(state.markdown),
        continuations: state.continuations,
        ...(state.parallel !== undefined ? { parallel_state: state.parallel ? storableParallelState(state.parallel) : null } : {}),
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
    return rows.map((row) => toDocument(row, this.redact));
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

  /**
   * A write that changes nothing, so a database the server may read but not write (a read-only
   * file, a read-only PostgreSQL role) is refused at start-up rather than on the first request.
   * It touches no document: at start-up another instance's live generations must be left alone.
   */
  async probeWritable(): Promise<void> {
    await this.db.updateTable("documents").set((eb) => ({ updated_at: eb.ref("updated_at") })).where("id", "=", "").execute();
  }

  /** Documents a dead process left `generating` can never finish on their own. */
  async markInterrupted(message: string): Promise<number> {
    const result = await this.db
      .updateTable("documents")
      .set({ status: "interrupted", error: storableText(this.redact(message)), updated_at: now() })
      .where("status", "=", "generating")
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
