import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DocumentStore } from "@/lib/store/document-store";
import { makeDatabaseReadOnly } from "../support/read-only-database";

// In the checkout, not /tmp: the read-only case needs a file system that supports chattr when run as root (tmpfs does not).
mkdirSync("test-results", { recursive: true });
const directory = mkdtempSync(path.resolve("test-results/studio-bad-db-"));
chmodSync(directory, 0o755);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function openFailure(url: string): Promise<string> {
  try {
    const store = await DocumentStore.open(url);
    await store.close();
  } catch (error) {
    expect((error as Error).name).toBe("DatabaseOpenError");
    return (error as Error).message;
  }
  throw new Error(`${url} opened`);
}

describe("an unusable database is refused at start with where and why (never a 500 per request)", () => {
  it("names the path when it is a directory", async () => {
    const folder = path.join(directory, "a-folder.db");
    mkdirSync(folder);
    const message = await openFailure(`file:${folder}`);
    expect(message).toContain(folder);
    expect(message).toMatch(/is a directory/);
  });

  it("says a file that is not a database is not one", async () => {
    const file = path.join(directory, "notes.db");
    writeFileSync(file, "These are notes, not a database. ".repeat(200));
    const message = await openFailure(`file:${file}`);
    expect(message).toContain(file);
    expect(message).toMatch(/not a SQLite database/);
  });

  it("says a database the server cannot write is read-only", () => {
    const folder = path.join(directory, "read-only");
    mkdirSync(folder);
    const file = path.join(folder, "studio.db");
    const created = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/open-store-cli.ts", `file:${file}`], { encoding: "utf8" });
    expect(created.stdout.trim()).toBe("opened");
    const readOnly = makeDatabaseReadOnly(file);
    let result: SpawnSyncReturns<string>;
    try {
      result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/open-store-cli.ts", `file:${file}`], {
        encoding: "utf8",
        ...(readOnly.uid === undefined ? {} : { uid: readOnly.uid, gid: readOnly.uid }),
        env: { ...process.env, HOME: tmpdir() },
      });
    } finally {
      readOnly.restore();
    }
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(file);
    expect(result.stdout).toMatch(/read-only/);
  });

  it("refuses an unsupported scheme such as mysql://, without repeating credentials", async () => {
    const message = await openFailure("mysql://root:hunter2@db.example/studio");
    expect(message).toMatch(/unsupported scheme "mysql:"/);
    expect(message).not.toContain("hunter2");
  });

  it("says an unreachable PostgreSQL server is unreachable, with the URL's password redacted", async () => {
    const message = await openFailure("postgres://studio:pg-secret-pw@127.0.0.1:1/studio");
    expect(message).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(message).toContain("postgres://[redacted]@127.0.0.1:1/studio");
    expect(message).not.toContain("pg-secret-pw");
  });
});
