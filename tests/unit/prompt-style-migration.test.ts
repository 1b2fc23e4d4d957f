import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { connectDatabase } from "@/lib/store/connect";
import { DocumentStore } from "@/lib/store/document-store";
import { studioMigrator } from "@/lib/store/migrations";

describe("migration 002: prompt_style", () => {
  it("gives documents written before it the seed style, and stores the style of new ones", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "migration-")), "studio.db");
    const old = await connectDatabase({ dialect: "sqlite", file });
    const migrator = studioMigrator(old as Kysely<unknown>);
    const first = await migrator.migrateTo("2026-11-25-001-documents");
    expect(first.error).toBeUndefined();
    const now = new Date().toISOString();
    // A row exactly as the first schema stored it: no prompt_style column yet.
    await (old as Kysely<unknown>)
      .insertInto("documents" as never)
      .values({
        id: "old-document-0000001",
        topic: "Rate Limiting",
        topic_key: "rate limiting",
        model: "gpt-4.1",
        prompt_version: "mp-0123456789ab",
        status: "complete",
        markdown: "# Rate Limiting\n",
        continuations: 0,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
    await old.destroy();

    const store = await DocumentStore.open(`file:${file}`);
    try {
      expect(await store.get("old-document-0000001")).toMatchObject({ promptStyle: "seed", promptVersion: "mp-0123456789ab", status: "complete" });
      const created = await store.create({
        id: "new-document-0000001",
        topic: "Rate Limiting",
        topicKey: "rate limiting",
        model: "gpt-4.1",
        promptStyle: "contract",
        promptVersion: "mp-ba9876543210",
        clientKey: null,
        editTokenHash: null,
        ownerScope: null,
      });
      expect(created.promptStyle).toBe("contract");
      expect(await store.get("new-document-0000001")).toMatchObject({ promptStyle: "contract" });
      // Offer the old document to one client's scope (rows from before scopes are offered to nobody).
      const raw = await connectDatabase({ dialect: "sqlite", file });
      await (raw as Kysely<unknown>).updateTable("documents" as never).set({ owner_scope: "ip:x" } as never).where("id" as never, "=", "old-document-0000001" as never).execute();
      await raw.destroy();
      const key = { topicKey: "rate limiting", model: "gpt-4.1", promptVersion: "mp-0123456789ab", mode: "single" as const };
      expect(await store.findLatestByKey({ ...key, promptStyle: "seed" }, ["complete"], "ip:x")).toMatchObject({ id: "old-document-0000001" });
      expect(await store.findLatestByKey({ ...key, promptStyle: "contract" }, ["complete"], "ip:x")).toBeNull();
    } finally {
      await store.close();
    }
  });
});

describe("migration i9: versions and generation starts", () => {
  it("makes every earlier document version 1 and counts its creation within the hour", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "migration-")), "studio.db");
    const old = await connectDatabase({ dialect: "sqlite", file });
    expect((await studioMigrator(old as Kysely<unknown>).migrateTo("2026-11-30-002-prompt-style")).error).toBeUndefined();
    const now = new Date().toISOString();
    for (const [id, client] of [["old-document-0000002", "ip:203.0.113.9"], ["old-document-0000003", null]] as const) {
      await (old as Kysely<unknown>)
        .insertInto("documents" as never)
        .values({ id, topic: "Rate Limiting", topic_key: "rate limiting", model: "gpt-4.1", prompt_version: "mp-0", status: "complete", markdown: "# R\n", continuations: 0, client_key: client, created_at: now, updated_at: now } as never)
        .execute();
    }
    await old.destroy();

    const store = await DocumentStore.open(`file:${file}`);
    try {
      expect(await store.get("old-document-0000002")).toMatchObject({ version: 1, passVersion: 1, repair: null, repairDrafts: [] });
      expect(await store.countStartsSince("ip:203.0.113.9", new Date(Date.now() - 60_000).toISOString())).toEqual({ count: 1, oldest: now });
      await store.recordStart("ip:203.0.113.9", "repair", "old-document-0000002");
      expect((await store.countStartsSince("ip:203.0.113.9", new Date(Date.now() - 60_000).toISOString())).count).toBe(2);
      expect(await store.listVersions("old-document-0000002")).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
