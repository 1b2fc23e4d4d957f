import "server-only";
import type { ColumnDataType, ColumnDefinitionBuilderCallback, CreateTableBuilder, Expression, Kysely } from "kysely";

/**
 * Columns as the migrations (./migrations.ts) declare them: a table's columns are one object,
 * name → [type, constraints], whether the table is created or altered, in the order they take.
 */

/** A column a migration adds: its type and, when it has any, its constraints (none: nullable). */
export type NewColumn = readonly [type: ColumnDataType, constraints?: ColumnDefinitionBuilderCallback];

export const notNull: ColumnDefinitionBuilderCallback = (column) => column.notNull();
export const primaryKey: ColumnDefinitionBuilderCallback = (column) => column.primaryKey();

/** What a column added to a table that already has rows needs, unless it may be null: a value for those rows. */
export const notNullDefault =
  (value: string | number | Expression<unknown>): ColumnDefinitionBuilderCallback =>
  (column) =>
    column.notNull().defaultTo(value);

/** A new table with these columns, in the order given: add its constraints to what this returns, then execute it. */
export function createTable(db: Kysely<unknown>, table: string, columns: Readonly<Record<string, NewColumn>>): CreateTableBuilder<string, string> {
  let builder: CreateTableBuilder<string, string> = db.schema.createTable(table);
  for (const [name, [type, constraints]] of Object.entries(columns)) builder = builder.addColumn(name, type, constraints);
  return builder;
}

/** Adds columns to an existing table in the order given, one statement each (SQLite's ALTER TABLE adds one at a time). */
export async function addColumns(db: Kysely<unknown>, table: string, columns: Readonly<Record<string, NewColumn>>): Promise<void> {
  for (const [name, [type, constraints]] of Object.entries(columns)) {
    await db.schema.alterTable(table).addColumn(name, type, constraints).execute();
  }
}
