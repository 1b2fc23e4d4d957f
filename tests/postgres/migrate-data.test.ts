import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentText } from "@/lib/documents/section-parts";
import type { DesignDocument } from "@/lib/documents/types";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import { freshProgress } from "@/lib/generation/parallel/plan";
import { analyzeSections } from "@/lib/sections/analyzer";
import { copyStudioDatabase } from "@/lib/store/copy-database";
import { DocumentStore } from "@/lib/store/document-store";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { bigUnicodeDocument, UNICODE_TOPICS } from "../support/unicode-fixtures";
import { useTestDatabase } from "../support/use-test-database";

/** npm run migrate-data, from a SQLite studio into a real PostgreSQL database. */
const target = useTestDatabase();
let source: TestDatabase;

function migrateData(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "migrate-data", "--", ...args], { env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const LEGACY_ID = "legacy-nul-document";
const PARALLEL_ID = "parallel-mode-document";
const SMALL_DOCUMENTS = 130; // more than one page of 100 rows

/** A studio with what breaks copies: > 16 KB documents, emoji and CJK topics, reports, every status, and a NUL a store before this version let through. */
async function fillSource(): Promise<void> {
  const store = await DocumentStore.open(source.url);
  const newDocument = (topic: string) => ({ id: randomBytes(16).toString("base64url"), topic, topicKey: topic.toLowerCase(), model: "fake-model", promptStyle: "contract" as const, promptVersion: "mp-123456789abc", clientKey: "ip:192.0.2.1", editTokenHash: null, ownerScope: "ip:192.0.2.1" });
  try {
    for (const topic of UNICODE_TOPICS) {
      const markdown = bigUnicodeDocument(topic);
      const created = await store.create(newDocument(topic));
      await store.recordStart(created.clientKey!, "create", created.id);
      // Versions and a repair record (issue 9): their tables are copied and verified too.
      await store.saveVersion(created, { version: 1, createdAt: created.createdAt, reason: "First pass", satisfied: 11, markdown: markdown.slice(0, -100) });
      await store.finish(created, { status: "complete", markdown: markdown.slice(0, -100), error: null, report: null, continuations: 1 });
      const fence = await store.restart((await store.get(created.id))!, {
        repair: { markdown: markdown.slice(0, -100), report: null, version: 1, passVersion: 1, repair: newRepairRecord({ trigger: "manual", target: null, maxRounds: 2, fromVersion: 1, firstPass: null }), continuations: 1, drafts: [] },
      });
      const repairing = { id: created.id, fence: fence! };
      await store.recordStart(created.clientKey!, "repair", created.id);
      await store.acceptVersion(repairing, { version: 2, createdAt: new Date().toISOString(), reason: "Repair round 1: section 7", satisfied: 12, markdown }, null, newRepairRecord({ trigger: "manual", target: null, maxRounds: 2, fromVersion: 1, firstPass: null }));
      await store.finish(repairing, { status: "complete", markdown, error: null, report: analyzeSections(markdown, { final: true }), continuations: 1, version: 2 });
    }
    // A parallel document: its mode, outline, parts (over 16 KB, emoji) and input/output tokens are columns of their own.
    const parallel = await store.create({ ...newDocument("並列 Parallel 🦀"), id: PARALLEL_ID, mode: "parallel" });
    const parts = freshProgress(true).parts.map((part) => ({ ...part, state: "complete" as const, text: `${bigUnicodeDocument(`part ${part.section}`)}\n\n`, inputTokens: 900, outputTokens: 1_000 }));
    const progress = { outline: { title: "並列", summary: "s 🦀", incorrectApproaches: [], keyTerms: ["k"], sections: [{ number: 1, covers: "c" }] }, parts };
    await store.finish(parallel, { status: "failed", markdown: documentText(parts, true), error: "Section 7 failed", report: null, continuations: 0, parallel: progress });
    await store.addTokenUsage(PARALLEL_ID, { input: 12_600, output: 14_000, total: 26_600 }, "2026-12-02");
    const statuses = ["failed", "cancelled", "interrupted", "generating"] as const;
    for (let index = 0; index < SMALL_DOCUMENTS; index += 1) {
      const created = await store.create(newDocument(`Topic ${index} ${UNICODE_TOPICS[index % UNICODE_TOPICS.length]}`));
      const status = statuses[index % statuses.length]!;
      await store.saveVersion(created, { version: 1, createdAt: created.createdAt, reason: "First pass", satisfied: null, markdown: `# ${index} 🦀\n` });
      if (status !== "generating") await store.finish(created, { status, markdown: `# ${index} 🦀\n`, error: status === "failed" ? "The model stopped: 漢字" : null, report: null, continuations: 0 });
    }
    await store.create({ ...newDocument("Legacy"), id: LEGACY_ID });
  } finally {
    await store.close();
  }
  const raw = new Database(source.url.slice("file:".length));
  raw.prepare("update documents set markdown = ?, status = 'failed' where id = ?").run("before\u0000after\u0000", LEGACY_ID);
  raw.close();
}

/** Every document of a database as the studio reads it, in id order. */
async function documentsOf(database: TestDatabase): Promise<DesignDocument[]> {
  const ids = (await database.query<{ id: string }>("select id from documents")).map((row) => row.id).sort();
  const store = await DocumentStore.open(database.url);
  try {
    return await Promise.all(ids.map(async (id) => (await store.get(id))!));
  } finally {
    await store.close();
  }
}

/** A document's versions with their text, as the studio reads them. */
async function versionsOf(database: TestDatabase, id: string) {
  const store = await DocumentStore.open(database.url);
  try {
    const summaries = await store.listVersions(id);
    return await Promise.all(summaries.map(async (summary) => (await store.getVersion(id, summary.version))!));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  source = await createTestDatabase("sqlite");
});
afterAll(async () => {
  await source?.drop();
});

describe("npm run migrate-data", () => {
  it("copies a SQLite studio into an empty PostgreSQL database, verified by counts and checksums it prints", async () => {
    await fillSource();
    const total = UNICODE_TOPICS.length + SMALL_DOCUMENTS + 2;
    const result = await migrateData("--from", source.url, "--to", target.url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("studio:studio@"); // the password is not printed
    expect(result.stdout).toContain(`documents: rows ${total} (source) = ${total} (target)`);
    const source256 = /documents: sha256 ([0-9a-f]{64}) \(source\)/.exec(result.stdout)?.[1];
    const target256 = /documents: sha256 ([0-9a-f]{64}) \(target\)/.exec(result.stdout)?.[1];
    expect(source256).toBeDefined();
    expect(target256).toBe(source256);
    expect(result.stdout).toContain("documents: 2 characters stored as U+FFFD");
    // Every version (a key of two columns, paged over more than 100 rows) and every counted start.
    const versions = UNICODE_TOPICS.length * 2 + SMALL_DOCUMENTS;
    const starts = UNICODE_TOPICS.length * 2;
    expect(result.stdout).toContain(`document_versions: rows ${versions} (source) = ${versions} (target)`);
    expect(result.stdout).toContain(`generation_starts: rows ${starts} (source) = ${starts} (target)`);
    for (const table of ["document_versions", "generation_starts", "token_usage"]) {
      const sourceSum = new RegExp(`${table}: sha256 ([0-9a-f]{64}) \\(source\\)`).exec(result.stdout)?.[1];
      expect(sourceSum).toBeDefined();
      expect(new RegExp(`${table}: sha256 ([0-9a-f]{64}) \\(target\\)`).exec(result.stdout)?.[1]).toBe(sourceSum);
    }
    expect(result.stdout).toContain("Copy committed.");

    const copied = await documentsOf(target);
    const original = await documentsOf(source);
    expect(copied).toHaveLength(total);
    expect(copied.filter((document) => document.markdown.length > 16_384)).toHaveLength(UNICODE_TOPICS.length + 1);
    expect(copied.find((document) => document.id === PARALLEL_ID)).toMatchObject({ mode: "parallel", inputTokens: 12_600, outputTokens: 14_000, tokensUsed: 26_600 });
    expect(copied.find((document) => document.id === PARALLEL_ID)?.parallel?.parts).toHaveLength(14);
    const legacy = copied.find((document) => document.id === LEGACY_ID);
    expect(legacy?.markdown).toBe("before\uFFFDafter\uFFFD");
    expect(copied.filter((document) => document.id !== LEGACY_ID)).toEqual(original.filter((document) => document.id !== LEGACY_ID));
    const repaired = copied.find((document) => document.version === 2)!;
    expect(await versionsOf(target, repaired.id)).toEqual(await versionsOf(source, repaired.id));
    expect((await versionsOf(target, repaired.id)).map((version) => version.markdown.length)).toEqual([repaired.markdown.length - 100, repaired.markdown.length]);
  });

  it("refuses a target that already holds documents unless told to overwrite them", async () => {
    const refused = await migrateData("--from", source.url, "--to", target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds \d+ rows; nothing was copied\. Run again with --overwrite/);
    expect(refused.stdout).not.toContain("Copy committed.");

    // Change the target, then overwrite it: the copy is the source again.
    await target.query("update documents set topic = 'changed in the target'");
    const overwritten = await migrateData("--from", source.url, "--to", target.url, "--overwrite");
    expect(overwritten.code).toBe(0);
    expect(overwritten.stdout).toMatch(/deleted the target's \d+ rows \(--overwrite\)/);
    expect((await target.query<{ count: string }>("select count(*) from documents where topic = 'changed in the target'"))[0]!.count).toBe("0");
  });

  it("leaves the target unchanged when what it reads back differs from the source", async () => {
    const before = await target.countDocuments();
    // A trigger in the target alters one row on its way in: verification must notice and roll back.
    await target.query(`create function corrupt() returns trigger as $$ begin if new.id = '${LEGACY_ID}' then new.markdown := new.markdown || '!'; end if; return new; end $$ language plpgsql`);
    await target.query("create trigger corrupt before insert on documents for each row execute function corrupt()");
    try {
      const failed = await migrateData("--from", source.url, "--to", target.url, "--overwrite");
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/Verification of documents failed \(rows \d+ → \d+, sha256 [0-9a-f]{64} → [0-9a-f]{64}\); nothing was written/);
      expect(await target.countDocuments()).toBe(before);
      expect((await target.query<{ markdown: string }>(`select markdown from documents where id = '${LEGACY_ID}'`))[0]!.markdown).toBe("before\uFFFDafter\uFFFD");
    } finally {
      await target.query("drop trigger corrupt on documents");
    }
  });

  it("explains a source that is not a studio database, and bad arguments", async () => {
    const empty = await createTestDatabase("sqlite");
    try {
      new Database(empty.url.slice("file:".length)).close(); // an empty SQLite file
      await expect(copyStudioDatabase({ from: empty.url, to: target.url })).rejects.toThrow(/is not a studio database of this version .* Start the studio once on it/);
    } finally {
      await empty.drop();
    }
    await expect(copyStudioDatabase({ from: target.url, to: source.url })).rejects.toThrow(/--from must be a SQLite studio \(file:PATH\)/);
    const missing = await migrateData("--from", source.url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Usage: npm run migrate-data -- --from file:PATH --to postgres://");
  });
});
