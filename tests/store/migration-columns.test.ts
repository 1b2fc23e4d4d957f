import { sql, type Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { connectDatabase, parseDatabaseUrl } from "@/lib/store/connect";
import { addColumns, createTable, notNull, notNullDefault, primaryKey } from "@/lib/store/migration-columns";
import { useTestDatabase } from "../support/use-test-database";

/** The migrations' column helpers, on the project's back end (a table of their own, in a database of its own). */
const database = useTestDatabase();
let db: Kysely<unknown>;

afterAll(async () => {
  await db?.destroy();
});

type Row = Record<string, unknown>;
const rows = async (query: string) => (await sql.raw<Row>(query).execute(db)).rows;

describe("columns as the migrations declare them", () => {
  it("creates a table with its columns in order, each with its constraints, and adds columns to it with values for existing rows", async () => {
    // Connected here, not before the tests: they are skipped (and this never runs) when PostgreSQL is down outside CI.
    db = (await connectDatabase(parseDatabaseUrl(database.url))) as Kysely<unknown>;
    await createTable(db, "notes", {
      id: ["varchar(64)", primaryKey],
      body: ["text", notNull],
      title: ["text", notNullDefault(sql`'untitled'`)],
      rating: ["integer"],
    }).execute();
    await sql`insert into notes (id, body) values ('a', '限流 🦀')`.execute(db);
    await addColumns(db, "notes", { version: ["integer", notNullDefault(1)], mode: ["varchar(16)", notNullDefault("single")], extra: ["text"] });

    expect(await rows("select * from notes")).toEqual([{ id: "a", body: "限流 🦀", title: "untitled", rating: null, version: 1, mode: "single", extra: null }]);
    expect(Object.keys((await rows("select * from notes"))[0]!)).toEqual(["id", "body", "title", "rating", "version", "mode", "extra"]);
    // NOT NULL without a default refuses a row without it; the primary key refuses a second row with its id.
    await expect(sql`insert into notes (id) values ('b')`.execute(db)).rejects.toThrow(/null|NOT NULL/i);
    // A column with a default is NOT NULL too: the default fills a row that does not say, never a null.
    await expect(sql`insert into notes (id, body, title) values ('c', 'x', null)`.execute(db)).rejects.toThrow(/null|NOT NULL/i);
    await expect(sql`insert into notes (id, body, version) values ('d', 'x', null)`.execute(db)).rejects.toThrow(/null|NOT NULL/i);
    await expect(sql`insert into notes (id, body) values ('a', 'again')`.execute(db)).rejects.toThrow(/unique|duplicate|primary/i);
  });
});
