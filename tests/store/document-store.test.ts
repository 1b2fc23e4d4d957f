import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import type { RepairRecord } from "@/lib/repair/record";
import { DocumentStore, type NewDocument } from "@/lib/store/document-store";
import { analyzeSections } from "@/lib/sections/analyzer";
import { bigUnicodeDocument, UNICODE_TOPICS } from "../support/unicode-fixtures";
import { testBackend } from "../support/test-database";
import { useTestDatabase } from "../support/use-test-database";

/** The store's contract, on the back end of the vitest project (SQLite file or PostgreSQL database). */
const database = useTestDatabase();

/** The scope identical requests from one client share. */
const SCOPE = "ip:192.0.2.1";

const newDocument = (overrides: Partial<NewDocument> = {}): NewDocument => ({
  id: randomBytes(16).toString("base64url"),
  topic: "Rate Limiting",
  topicKey: "rate limiting",
  model: "fake-model",
  promptStyle: "contract",
  promptVersion: "mp-000000000000",
  clientKey: "ip:192.0.2.1",
  editTokenHash: null,
  ownerScope: SCOPE,
  ...overrides,
});

async function withStore<T>(work: (store: DocumentStore) => Promise<T>): Promise<T> {
  const store = await DocumentStore.open(database.url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe("the document store", () => {
  it(`runs on the project's back end (${testBackend()})`, async () => {
    expect(database.url.startsWith(testBackend() === "postgres" ? "postgres://" : "file:")).toBe(true);
    await withStore(async (store) => store.ping());
  });

  it("keeps documents over 16 KB with emoji, CJK and RTL text, and their JSON report, exactly", async () => {
    await withStore(async (store) => {
      for (const topic of UNICODE_TOPICS) {
        const markdown = bigUnicodeDocument(topic);
        expect(markdown.length).toBeGreaterThan(16_384);
        const created = await store.create(newDocument({ topic, topicKey: topic.toLowerCase() }));
        const prefix = markdown.slice(0, markdown.indexOf("\n", 9_000) + 1);
        expect(await store.checkpoint(created, prefix, 0)).toBe(true);
        expect((await store.get(created.id))?.markdown).toBe(prefix);
        const report = analyzeSections(markdown, { final: true });
        expect(await store.finish(created, { status: "complete", markdown, error: null, report, continuations: 2 })).toBe(true);
        const stored = await store.get(created.id);
        expect(stored).toMatchObject({ topic, topicKey: topic.toLowerCase(), status: "complete", markdown, continuations: 2, error: null });
        expect(stored?.report).toEqual(report);
        expect(typeof stored?.continuations).toBe("number");
      }
    });
  });

  it("stores U+0000 in model output as U+FFFD, one code unit for one, so offsets stay valid", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      const markdown = `# Title\u0000 🦀\n${"x".repeat(20_000)}\u0000end`;
      expect(await store.checkpoint(created, markdown, 0)).toBe(true);
      expect((await store.get(created.id))?.markdown).toBe(markdown.replaceAll("\u0000", "\uFFFD"));
      await store.finish(created, { status: "failed", markdown, error: "provider said \u0000", report: null, continuations: 0 });
      const stored = await store.get(created.id);
      expect(stored?.markdown).toHaveLength(markdown.length);
      expect(stored?.error).toBe("provider said \uFFFD");
    });
  });

  it("keeps a checkpoint that ends inside a surrogate pair without the half, and replaces lone halves elsewhere", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      const markdown = `# 🦀 ${"漢".repeat(9_000)} 🦀`;
      const midPair = markdown.slice(0, -1);
      expect(await store.checkpoint(created, midPair, 0)).toBe(true);
      expect((await store.get(created.id))?.markdown).toBe(markdown.slice(0, -2));
      expect(await store.checkpoint(created, markdown, 0)).toBe(true);
      expect((await store.get(created.id))?.markdown).toBe(markdown);
      // Malformed model output: a lone low half inside, a lone high half at the end of the final text.
      const malformed = `a\udc00b${markdown}\ud83e`;
      await store.finish(created, { status: "complete", markdown: malformed, error: null, report: null, continuations: 0 });
      const stored = (await store.get(created.id))!.markdown;
      expect(stored).toBe(`a\uFFFDb${markdown}\uFFFD`);
      expect(stored).toHaveLength(malformed.length);
    });
  });

  it("accepts client keys of any length (a long X-Forwarded-For behind TRUST_PROXY)", async () => {
    await withStore(async (store) => {
      const clientKey = `ip:${"2001:db8::1,".repeat(40)}`;
      expect(clientKey.length).toBeGreaterThan(128);
      const created = await store.create(newDocument({ clientKey }));
      await store.recordStart(clientKey, "create", created.id);
      expect(await store.countStartsSince(clientKey, new Date(0).toISOString())).toMatchObject({ count: 1 });
    });
  });

  it("counts a client's generation starts (creations and repairs by hand) since a time as a number, with the oldest one's time", async () => {
    await withStore(async (store) => {
      const clientKey = "ip:203.0.113.5";
      const before = new Date(Date.now() - 1).toISOString();
      const first = await store.create(newDocument({ clientKey }));
      await store.recordStart(clientKey, "create", first.id);
      const oldest = (await store.countStartsSince(clientKey, before)).oldest;
      await store.recordStart(clientKey, "repair", first.id);
      await store.recordStart("ip:203.0.113.6", "create", first.id);
      const counted = await store.countStartsSince(clientKey, before);
      expect(counted).toEqual({ count: 2, oldest });
      expect(oldest! >= before).toBe(true);
      expect(await store.countStartsSince(clientKey, new Date(Date.now() + 60_000).toISOString())).toEqual({ count: 0, oldest: null });
    });
  });

  it("finds the latest finished document of a key, in time order", async () => {
    await withStore(async (store) => {
      const key = { topicKey: "分散合意 🦀 raft", model: "fake-model", promptStyle: "contract" as const, promptVersion: "mp-111111111111", mode: "single" as const };
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const created = await store.create(newDocument({ ...key, topic: "分散合意 🦀 Raft" }));
        await store.finish(created, { status: "complete", markdown: `v${index}`, error: null, report: null, continuations: 0 });
        ids.push(created.id);
        await new Promise((resolve) => setTimeout(resolve, 5)); // distinct created_at milliseconds
      }
      expect((await store.findLatestByKey(key, ["complete"], SCOPE))?.id).toBe(ids[2]);
      expect(await store.findLatestByKey(key, ["failed"], SCOPE)).toBeNull();
      expect(await store.findLatestByKey({ ...key, topicKey: "分散合意 🦀 RAFT" }, ["complete"], SCOPE)).toBeNull();
      expect(await store.findLatestByKey(key, ["complete"], "ip:198.51.100.9")).toBeNull();
    });
  });

  it("marks what a dead process left generating as interrupted, and only that", async () => {
    await withStore(async (store) => {
      const running = await store.create(newDocument());
      const finished = await store.create(newDocument());
      await store.finish(finished, { status: "complete", markdown: "done", error: null, report: null, continuations: 0 });
      expect(await store.markInterrupted("restarted")).toBeGreaterThanOrEqual(1);
      expect(await store.get(running.id)).toMatchObject({ status: "interrupted", error: "restarted" });
      expect(await store.get(finished.id)).toMatchObject({ status: "complete", error: null });
    });
  });
});

describe("generation fences", () => {
  it("refuse checkpoints and final writes from a start that Continue has replaced", async () => {
    await withStore(async (store) => {
      const first = await store.create(newDocument());
      expect(first.fence).toBe(1);
      expect(await store.checkpoint(first, "first start", 0)).toBe(true);
      await store.markInterrupted("restarted"); // the old process is presumed dead, but is not
      const fence = await store.restart(first, { markdown: "first start", continuations: 0 });
      expect(fence).toBe(2);
      const second = { ...first, fence: fence! };

      // The zombie of the first start writes again: nothing changes.
      expect(await store.checkpoint(first, "zombie text", 0)).toBe(false);
      expect(await store.finish(first, { status: "failed", markdown: "zombie text", error: "zombie", report: null, continuations: 0 })).toBe(false);
      expect(await store.get(first.id)).toMatchObject({ status: "generating", markdown: "first start", fence: 2 });

      expect(await store.checkpoint(second, "first start, then more", 1)).toBe(true);
      expect(await store.finish(second, { status: "complete", markdown: "first start, then more.", error: null, report: null, continuations: 1 })).toBe(true);
      expect(await store.get(first.id)).toMatchObject({ status: "complete", markdown: "first start, then more.", continuations: 1 });
    });
  });

  it("let exactly one of several concurrent restarts win", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      await store.finish(created, { status: "failed", markdown: "partial", error: "lost", report: null, continuations: 0 });
      const stopped = (await store.get(created.id))!;
      const fences = await Promise.all(Array.from({ length: 5 }, () => store.restart(stopped, { markdown: stopped.markdown, continuations: 0 })));
      expect(fences.filter((fence) => fence !== null)).toEqual([2]);
      // A generating document is not restarted again, even with the current fence.
      expect(await store.restart({ id: created.id, fence: 2 }, { markdown: "", continuations: 0 })).toBeNull();
    });
  });
});

describe("takeovers and recovery", () => {
  it("a takeover claims the next fence: the old owner's writes are refused, the new owner's accepted", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      expect(await store.checkpoint(created, "first owner 🦀", 0)).toBe(true);
      const fence = await store.claim(created);
      expect(fence).toBe(created.fence + 1);
      const successor = { id: created.id, fence: fence! };
      // Two instances racing for the same takeover: one wins.
      expect(await store.claim(created)).toBeNull();
      expect(await store.checkpoint(created, "first owner 🦀 stale", 0)).toBe(false);
      expect(await store.finish(created, { status: "interrupted", markdown: "x", error: "stale", report: null, continuations: 0 })).toBe(false);
      expect(await store.checkpoint(successor, "first owner 🦀 second owner", 0)).toBe(true);
      expect(await store.finish(successor, { status: "complete", markdown: "first owner 🦀 second owner", error: null, report: null, continuations: 0 })).toBe(true);
      expect(await store.claim(successor)).toBeNull(); // finished: nothing to take over
      expect((await store.get(created.id))!.markdown).toBe("first owner 🦀 second owner");
    });
  });

  it("lists unfinished generations for recovery: old `generating` rows, and rows a graceful stop left to resume", async () => {
    await withStore(async (store) => {
      const running = await store.create(newDocument());
      const stopped = await store.create(newDocument());
      const byHand = await store.create(newDocument());
      await store.finish(stopped, { status: "interrupted", markdown: "partial", error: "resume me", report: null, continuations: 0 });
      await store.finish(byHand, { status: "interrupted", markdown: "partial", error: "continue by hand", report: null, continuations: 0 });
      const later = new Date(Date.now() + 60_000).toISOString();
      const ids = (documents: { id: string }[]) => documents.map((document) => document.id).filter((id) => [running.id, stopped.id, byHand.id].includes(id));
      expect(ids(await store.listUnfinished(later))).toEqual([running.id]);
      expect(ids(await store.listUnfinished(later, "resume me")).sort()).toEqual([running.id, stopped.id].sort());
      // Rows written after the cut-off (a live owner checkpoints) are not listed.
      expect(ids(await store.listUnfinished(new Date(Date.now() - 60_000).toISOString(), "resume me"))).toEqual([]);
      expect(await store.interrupt(running, "gone")).toBe(true);
      expect(await store.interrupt(running, "gone")).toBe(false);
    });
  });
});

describe("versions and repairs", () => {
  const repairRecord = (reason: string | null = null): RepairRecord => ({
    ...newRepairRecord({ trigger: "manual", target: [7], maxRounds: 2, fromVersion: 1, firstPass: null }),
    rounds: [
      {
        round: 1,
        baseVersion: 1,
        version: null,
        startedAt: new Date().toISOString(),
        endedAt: null,
        usage: { inputTokens: 0, outputTokens: 0 },
        ms: 0,
        sections: [{ number: 7, title: "Failure Modes", state: "failed", items: [], reason, gained: [], usage: { inputTokens: 0, outputTokens: 0 }, ms: 0 }],
      },
    ],
  });
  const version = (number: number, markdown: string) => ({ version: number, createdAt: new Date().toISOString(), reason: `v${number}`, satisfied: 11, markdown });
  const repairStart = (markdown: string, record = repairRecord()) => ({
    repair: { markdown, report: null, version: 1, passVersion: 1, repair: record, continuations: 0, drafts: [] },
  });

  it("fences a repair: a repair by hand takes the next fence, and the older start's version, repair checkpoint and final write are refused", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      const markdown = bigUnicodeDocument("分散合意 🦀");
      expect(await store.saveVersion(created, version(1, markdown))).toBe(true);
      expect(await store.finish(created, { status: "complete", markdown, error: null, report: null, continuations: 0 })).toBe(true);
      const complete = (await store.get(created.id))!;

      const fence = await store.restart(complete, repairStart(markdown));
      expect(fence).toBe(2);
      // Two repairs asked for at once (any instances): the second is refused.
      expect(await store.restart(complete, repairStart(markdown))).toBeNull();
      const repairing = { ...complete, fence: fence! };
      expect(await store.get(created.id)).toMatchObject({ status: "repairing", fence: 2, version: 1, repair: { trigger: "manual", target: [7] } });

      // The first start (the pass that wrote version 1) is a zombie now: nothing it writes lands.
      expect(await store.saveVersion(created, version(1, "zombie"))).toBe(false);
      expect(await store.checkpointRepair(created, repairRecord(), [{ number: 7, round: 1, text: "zombie" }])).toBe(false);
      expect(await store.acceptVersion(created, version(2, "zombie"), null, repairRecord())).toBe(false);
      expect(await store.finish(created, { status: "complete", markdown: "zombie", error: null, report: null, continuations: 0 })).toBe(false);
      expect((await store.getVersion(created.id, 1))?.markdown).toBe(markdown);
      expect(await store.getVersion(created.id, 2)).toBeNull();

      // The repair's own start writes.
      const draftText = `## 7. Failure Modes\n\u0000 🦀${"漢".repeat(9_000)}`;
      expect(await store.checkpointRepair(repairing, repairRecord(), [{ number: 7, round: 1, text: draftText }])).toBe(true);
      // Replacement text is stored as streamed text is: U+0000 becomes U+FFFD, one code unit for one.
      expect((await store.get(created.id))?.repairDrafts).toEqual([{ number: 7, round: 1, text: draftText.replace("\u0000", "\uFFFD") }]);
      const repaired = `${markdown}\n\n## More 🦀\n`;
      expect(await store.acceptVersion(repairing, version(2, repaired), null, repairRecord())).toBe(true);
      expect(await store.finish(repairing, { status: "complete", markdown: repaired, error: null, report: null, continuations: 0, version: 2, repair: repairRecord() })).toBe(true);
      expect(await store.get(created.id)).toMatchObject({ status: "complete", version: 2, markdown: repaired, repairDrafts: [] });
      expect((await store.listVersions(created.id)).map((entry) => entry.version)).toEqual([1, 2]);
      expect((await store.getVersion(created.id, 2))?.markdown).toBe(repaired);
    });
  });

  it("keeps one text per version: a pass continued after its version was saved replaces that version's text", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      expect(await store.saveVersion(created, version(1, "first pass, cut off 🦀"))).toBe(true);
      expect(await store.saveVersion(created, { ...version(1, "first pass, whole 🦀"), satisfied: 12, reason: "continued" })).toBe(true);
      expect(await store.listVersions(created.id)).toEqual([expect.objectContaining({ version: 1, reason: "continued", satisfied: 12 })]);
      expect((await store.getVersion(created.id, 1))?.markdown).toBe("first pass, whole 🦀");
    });
  });

  it("starts a repair from the state it is given, in the same start (beginRepair) or in a new one (restart)", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      const drafts = [{ number: 7, round: 1, text: "## 7. 限流 🦀" }];
      const state = { markdown: "# T\n\n## 1. x 🦀\n", report: null, version: 3, passVersion: 2, repair: repairRecord(), continuations: 4, drafts };
      const repairing = { status: "repairing", markdown: state.markdown, version: 3, passVersion: 2, continuations: 4, repairDrafts: drafts, error: null, repair: { trigger: "manual", target: [7] } };
      expect(await store.beginRepair(created, state)).toBe(true);
      expect(await store.get(created.id)).toMatchObject({ ...repairing, fence: 1 });
      // Stopped mid-repair, then resumed: the same state, under the next fence.
      await store.finish(created, { status: "interrupted", markdown: state.markdown, error: "stopped", report: null, continuations: 4 });
      expect(await store.get(created.id)).toMatchObject({ status: "interrupted", repairDrafts: [] });
      expect(await store.restart((await store.get(created.id))!, { repair: state })).toBe(2);
      expect(await store.get(created.id)).toMatchObject({ ...repairing, fence: 2 });
    });
  });

  it("lets exactly one of several concurrent Retries start a new version, keeping the current text as its version", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      await store.finish(created, { status: "failed", markdown: "partial 🦀", error: "lost", report: null, continuations: 0 });
      const stopped = (await store.get(created.id))!;
      const current = version(1, stopped.markdown);
      const results = await Promise.all(Array.from({ length: 5 }, (_, index) => store.restartAsNewVersion(stopped, current, `Retry ${index} 🦀`)));
      expect(results.filter((result) => result !== null)).toEqual([{ fence: 2, version: 2 }]);
      const restarted = await store.get(created.id);
      expect(restarted).toMatchObject({ status: "generating", markdown: "", version: 2, passVersion: 2, passReason: expect.stringMatching(/^Retry \d 🦀$/), fence: 2 });
      expect(await store.listVersions(created.id)).toEqual([expect.objectContaining({ version: 1, reason: "v1" })]);
      expect((await store.getVersion(created.id, 1))?.markdown).toBe("partial 🦀");
    });
  });

  it("redacts a repair's reasons (a failed request quotes the provider) when written and when read", async () => {
    await withStore(async (store) => {
      const created = await store.create(newDocument());
      await store.finish(created, { status: "complete", markdown: "# T\n", error: null, report: null, continuations: 0 });
      const complete = (await store.get(created.id))!;
      const leaked = repairRecord("The provider said: Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx. The original is kept.");
      const fence = await store.restart(complete, repairStart("# T\n", leaked));
      const [row] = await database.query<{ repair: string }>(`select repair from documents where id = '${created.id}'`);
      expect(row!.repair).not.toContain("sk-proj-");
      await store.finish({ id: created.id, fence: fence! }, { status: "complete", markdown: "# T\n", error: null, report: null, continuations: 0, repair: leaked });
      // A row written before: read back redacted too.
      await database.query(`update documents set repair = '${JSON.stringify(leaked).replaceAll("'", "''")}' where id = '${created.id}'`);
      const reason = (await store.get(created.id))?.repair?.rounds[0]?.sections[0]?.reason;
      expect(reason).toBe("The provider said: Incorrect API key provided: [redacted]. The original is kept.");
    });
  });

  it("deletes a document's versions with it, by hand and by retention", async () => {
    await withStore(async (store) => {
      const deleted = await store.create(newDocument());
      await store.saveVersion(deleted, version(1, "one"));
      await store.finish(deleted, { status: "complete", markdown: "one", error: null, report: null, continuations: 0 });
      expect(await store.delete(deleted.id)).toBe(true);
      expect(await store.listVersions(deleted.id)).toEqual([]);

      const expired = await store.create(newDocument());
      const running = await store.create(newDocument());
      for (const document of [expired, running]) {
        await store.saveVersion(document, version(1, "old"));
        await store.finish(document, { status: "complete", markdown: "old", error: null, report: null, continuations: 0 });
      }
      expect(await store.restart((await store.get(running.id))!, repairStart("old"))).toBe(2);
      expect(await store.deleteUpdatedBefore(new Date(Date.now() + 60_000).toISOString())).toBeGreaterThanOrEqual(1);
      expect(await store.get(expired.id)).toBeNull();
      expect(await store.listVersions(expired.id)).toEqual([]);
      // A document being repaired is running: kept, with its versions.
      expect(await store.get(running.id)).toMatchObject({ status: "repairing" });
      expect(await store.listVersions(running.id)).toHaveLength(1);
    });
  });
});

describe("migrations", () => {
  it("let several instances open the same new database at once", async () => {
    const stores = await Promise.all(Array.from({ length: 3 }, () => DocumentStore.open(database.url)));
    try {
      const created = await stores[0]!.create(newDocument());
      for (const store of stores) expect((await store.get(created.id))?.id).toBe(created.id);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    const applied = await database.query<{ name: string }>("select name from kysely_migration order by name");
    expect(new Set(applied.map((row) => row.name)).size).toBe(applied.length);
  });
});
