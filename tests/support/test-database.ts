import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

/**
 * The database back end a vitest project runs against: `sqlite` (the default) or `postgres`
 * (the `postgres` project in vitest.config.ts sets STUDIO_TEST_BACKEND). Each test file gets a
 * database of its own, dropped when the file is done.
 */
export type TestBackend = "sqlite" | "postgres";

export function testBackend(): TestBackend {
  return process.env.STUDIO_TEST_BACKEND === "postgres" ? "postgres" : "sqlite";
}

/** The server where each PostgreSQL test file creates (and drops) a database of its own. */
export const POSTGRES_TEST_URL = process.env.POSTGRES_TEST_URL ?? "postgres://studio:studio@127.0.0.1:5432/studio";

export const POSTGRES_SETUP_HELP = `PostgreSQL for the integration tests is not reachable at ${POSTGRES_TEST_URL.replace(/:[^:@/]*@/, ":***@")} (POSTGRES_TEST_URL).
Start it and create the role and database the tests use (Debian; .ci/run does the same):
  sudo apt-get install -y postgresql
  sudo pg_ctlcluster 15 main start
  sudo su postgres -c "psql -c \\"CREATE ROLE studio LOGIN CREATEDB PASSWORD 'studio'\\""
  sudo su postgres -c "createdb -O studio studio"
Or run only the SQLite tests: npx vitest run --project sqlite`;

/** Connects once to POSTGRES_TEST_URL; the error says why it could not. */
export async function probePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  backend: TestBackend;
  /** DATABASE_URL for the studio. */
  url: string;
  /** Runs a query on a connection of its own (not the studio's) and returns the rows. */
  query<Row>(text: string): Promise<Row[]>;
  countDocuments(): Promise<number>;
  drop(): Promise<void>;
}

function postgresUrlFor(database: string): string {
  const url = new URL(POSTGRES_TEST_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  // Unique per file and per checkout: several engineers' suites share one server.
  const name = `studio_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withPostgres(POSTGRES_TEST_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = postgresUrlFor(name);
  const query = <Row>(text: string) => withPostgres(url, async (client) => (await client.query(text)).rows as Row[]);
  return {
    backend: "postgres",
    url,
    query,
    async countDocuments() {
      const [row] = await query<{ count: string }>("select count(*) as count from documents");
      return Number(row!.count);
    },
    async drop() {
      // FORCE ends connections a test left open (PostgreSQL 13+).
      await withPostgres(POSTGRES_TEST_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

function createSqliteDatabase(): TestDatabase {
  const directory = mkdtempSync(path.join(tmpdir(), "studio-test-"));
  const file = path.join(directory, "studio.db");
  const query = async <Row>(text: string) => {
    // A connection of its own, as another process would have (WAL lets it write beside the studio's).
    const database = new Database(file);
    try {
      const statement = database.prepare(text);
      // Statements that return no rows (update, insert) are run; their "rows" are none, as on PostgreSQL.
      return (statement.reader ? statement.all() : (statement.run(), [])) as Row[];
    } finally {
      database.close();
    }
  };
  return {
    backend: "sqlite",
    url: `file:${file}`,
    query,
    async countDocuments() {
      const [row] = await query<{ count: number }>("select count(*) as count from documents");
      return row!.count;
    },
    async drop() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function createTestDatabase(backend: TestBackend = testBackend()): Promise<TestDatabase> {
  return backend === "postgres" ? createPostgresDatabase() : createSqliteDatabase();
}
