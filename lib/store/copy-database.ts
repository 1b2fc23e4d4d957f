import "server-only";
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import { redactSecrets } from "@/lib/redaction/redact-secrets";
import { connectDatabase, parseDatabaseUrl } from "./connect";
import { migrateToLatest, pendingMigrations } from "./migrations";
import { STUDIO_TABLES } from "./schema";
import { storableText } from "./storable-text";

type Row = Record<string, unknown>;
/** Tables addressed by name at run time (the copy knows their names, not their row types). */
type AnyDatabase = Kysely<Record<string, Row>>;

/** Rows read or written per query: large documents stay well under memory and parameter limits. */
const PAGE_ROWS = 100;

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyRefused";
  }
}

export interface TableVerification {
  table: string;
  sourceRows: number;
  targetRows: number;
  /** SHA-256 over the sorted SHA-256 digests of the rows' canonical form (see rowDigest). */
  sourceChecksum: string;
  targetChecksum: string;
  /** Characters stored as U+FFFD: U+0000 and lone surrogates (see storable-text.ts). */
  replacedCharacters: number;
}

export interface CopyOptions {
  from: string;
  to: string;
  /** Replace the rows of a target that already holds some (otherwise the copy refuses). */
  overwrite?: boolean;
  log?: (line: string) => void;
}

/** A URL safe to print: no password. */
export function describeDatabaseUrl(url: string): string {
  return redactSecrets(url);
}

/**
 * One canonical string per value, the same whichever driver read it: PostgreSQL's bigint comes
 * back as a string and SQLite's integers as numbers, booleans may be 0/1 or true/false.
 */
function canonicalValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return JSON.stringify(value);
}

/** SHA-256 of a row as [column, canonical value] pairs in column-name order. */
function rowDigest(row: Row): string {
  const pairs = Object.keys(row)
    .sort()
    .map((column) => [column, canonicalValue(row[column])]);
  return createHash("sha256").update(JSON.stringify(pairs)).digest("hex");
}

/** Independent of row order, which differs between dialects and collations. */
function tableChecksum(digests: string[]): string {
  const hash = createHash("sha256");
  for (const digest of digests.sort()) hash.update(digest);
  return hash.digest("hex");
}

/** The text the target can hold (what the studio would have stored), and how many characters changed. */
function storableRow(row: Row): { row: Row; replaced: number } {
  let replaced = 0;
  const result: Row = {};
  for (const [column, value] of Object.entries(row)) {
    if (typeof value !== "string") {
      result[column] = value;
      continue;
    }
    const stored = storableText(value);
    if (stored !== value) for (let index = 0; index < value.length; index += 1) if (stored[index] !== value[index]) replaced += 1;
    result[column] = stored;
  }
  return { row: result, replaced };
}

/**
 * Every row of a table, a page at a time in key order (each dialect's own order: only consistency
 * matters). A key of several columns is compared as a row value, `(a, b) > (x, y)`: both dialects.
 */
async function* pages(db: AnyDatabase | Transaction<Record<string, Row>>, table: string, key: readonly string[]): AsyncGenerator<Row[]> {
  let last: Row | undefined;
  for (;;) {
    let query = db.selectFrom(table).selectAll().limit(PAGE_ROWS);
    for (const column of key) query = query.orderBy(column);
    if (last !== undefined) {
      const after = last;
      query = query.where(sql<boolean>`(${sql.join(key.map((column) => sql.ref(column)))}) > (${sql.join(key.map((column) => after[column]))})`);
    }
    const rows = (await query.execute()) as Row[];
    if (rows.length === 0) return;
    yield rows;
    last = rows.at(-1)!;
    if (rows.length < PAGE_ROWS) return;
  }
}

async function countRows(db: AnyDatabase | Transaction<Record<string, Row>>, table: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number | bigint>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function openSource(from: string): Promise<AnyDatabase> {
  const target = parseDatabaseUrl(from);
  if (target.dialect !== "sqlite") throw new CopyRefused(`--from must be a SQLite studio (file:PATH), got ${describeDatabaseUrl(from)}`);
  let db: AnyDatabase;
  try {
    db = (await connectDatabase(target, { readonly: true })) as unknown as AnyDatabase;
  } catch (error) {
    throw new CopyRefused(`Cannot open ${target.file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const pending = await pendingMigrations(db as Kysely<unknown>);
  if (pending.length > 0) {
    await db.destroy();
    throw new CopyRefused(
      `${target.file} is not a studio database of this version (migrations not applied: ${pending.join(", ")}). ` +
        "Start the studio once on it (DATABASE_URL=file:…; it migrates on start), stop it, then copy.",
    );
  }
  return db;
}

/**
 * Copies a SQLite studio into another database (PostgreSQL, normally), migrating the target first.
 * All rows are written in one transaction on the target and verified there — row counts and a
 * checksum of every row, read back from the target — before it commits: the target ends up as a
 * verified copy or unchanged. Refuses a target that already holds rows unless `overwrite`.
 * The studio should be stopped while it runs (rows written during the copy are not copied).
 */
export async function copyStudioDatabase(options: CopyOptions): Promise<TableVerification[]> {
  const log = options.log ?? (() => {});
  if (options.from === options.to) throw new CopyRefused("--from and --to are the same database.");
  const source = await openSource(options.from);
  let target: AnyDatabase | undefined;
  try {
    target = (await connectDatabase(parseDatabaseUrl(options.to))) as unknown as AnyDatabase;
    await migrateToLatest(target as Kysely<unknown>);
    log(`Target migrated to the latest schema: ${describeDatabaseUrl(options.to)}`);

    // A read transaction on the source: one snapshot even if a studio still writes to it.
    return await source.transaction().execute((snapshot) => target!.transaction().execute(async (trx) => {
      const results: TableVerification[] = [];
      for (const { name: table, key } of STUDIO_TABLES) {
        const existing = await countRows(trx, table);
        if (existing > 0 && !options.overwrite) {
          throw new CopyRefused(`The target's ${table} table already holds ${existing} rows; nothing was copied. Run again with --overwrite to replace them.`);
        }
        if (existing > 0) {
          await trx.deleteFrom(table).execute();
          log(`${table}: deleted the target's ${existing} rows (--overwrite)`);
        }

        const sourceDigests: string[] = [];
        let replacedCharacters = 0;
        for await (const rows of pages(snapshot, table, key)) {
          const storable = rows.map(storableRow);
          for (const { row, replaced } of storable) {
            sourceDigests.push(rowDigest(row));
            replacedCharacters += replaced;
          }
          await trx.insertInto(table).values(storable.map(({ row }) => row)).execute();
          log(`${table}: ${sourceDigests.length} rows copied…`);
        }

        const targetDigests: string[] = [];
        for await (const rows of pages(trx, table, key)) for (const row of rows) targetDigests.push(rowDigest(row));
        const verification: TableVerification = {
          table,
          sourceRows: sourceDigests.length,
          targetRows: targetDigests.length,
          sourceChecksum: tableChecksum(sourceDigests),
          targetChecksum: tableChecksum(targetDigests),
          replacedCharacters,
        };
        if (verification.sourceRows !== verification.targetRows || verification.sourceChecksum !== verification.targetChecksum) {
          throw new CopyRefused(
            `Verification of ${table} failed (rows ${verification.sourceRows} → ${verification.targetRows}, ` +
              `sha256 ${verification.sourceChecksum} → ${verification.targetChecksum}); nothing was written.`,
          );
        }
        results.push(verification);
      }
      return results;
    }));
  } finally {
    await source.destroy();
    await target?.destroy();
  }
}
