import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DocumentError } from "@/lib/documents/document-error";
import { repairDocument } from "@/lib/documents/repair-document";
import type { Requester } from "@/lib/documents/requester";
import type { DesignDocument } from "@/lib/documents/types";
import type { FakeStudioParts } from "../support/fake-studio";
import { designDocument } from "../support/design-document";
import { fakeStudio } from "../support/fake-studio";
import { rejectionOf } from "../support/thrown";

const holder: Requester = { clientKey: "ip:a", scope: "ip:a", tokenHolder: true, editToken: null };
/** A complete document whose sections are all missing: every one needs a repair. */
const deficient = designDocument({ version: 2 });
/** A complete document that satisfies every section (a demo example). */
const satisfied = designDocument({ markdown: readFileSync("lib/examples/library/circuit-breaker.md", "utf8") });

function studioWith(document: DesignDocument, parts: FakeStudioParts = {}) {
  const started: unknown[] = [];
  const studio = fakeStudio({
    documents: [document],
    store: { restart: async () => 7 },
    generations: { start: async (...args: unknown[]) => (started.push(args), { done: new Promise<void>(() => {}) }) },
    admission: { admit: async () => {}, recordStart: async (...args: unknown[]) => void started.push(["recordStart", ...args]), trackRunning: async () => {} },
    ...parts,
  });
  return { studio, started };
}

const refusal = async (action: () => Promise<unknown>) => rejectionOf<DocumentError>(action);

describe("a repair asked for by hand", () => {
  it("starts the next fence as `repairing` from the current version, counted like a creation", async () => {
    const { studio, started } = studioWith(deficient);
    const repairing = await repairDocument(studio, deficient.id, holder, [3]);
    expect(repairing).toMatchObject({ status: "repairing", fence: 7, instance: "instance-test", error: null, passVersion: 2, repairDrafts: [] });
    expect(repairing.repair).toMatchObject({ trigger: "manual", target: [3], fromVersion: 2 });
    expect(started[0]).toEqual(["recordStart", "ip:a", "repair", deficient.id]);
    expect(started[1]).toEqual([repairing, { kind: "repair", record: repairing.repair, drafts: [] }]);
  });

  it("refuses an unknown id, and a requester who may not change the document", async () => {
    const { studio, started } = studioWith(deficient);
    expect((await refusal(() => repairDocument(studio, "DDDDDDDDDDDDDDDDDDDDDD", holder, null))).message).toBe("No document with this id.");
    const stranger = { ...holder, tokenHolder: false, editToken: "wrong" };
    expect((await refusal(() => repairDocument(studio, deficient.id, stranger, null))).code).toBe("forbidden");
    expect(started).toEqual([]);
  });

  it("refuses a document that did not finish, and any repair where MAX_REPAIR_ROUNDS=0", async () => {
    const failed = { ...deficient, status: "failed" as const };
    const error = await refusal(() => repairDocument(studioWith(failed).studio, failed.id, holder, null));
    expect(error.code).toBe("not_repairable");
    expect(error.message).toBe("A failed document cannot be repaired: Continue or Retry finishes it first.");
    const off = studioWith(deficient, { config: { maxRepairRounds: 0 } }).studio;
    expect((await refusal(() => repairDocument(off, deficient.id, holder, null))).message).toBe("Repairs are turned off on this server (MAX_REPAIR_ROUNDS=0).");
  });

  it("says there is nothing to repair, naming the one section asked for", async () => {
    const { studio } = studioWith(satisfied);
    const one = await refusal(() => repairDocument(studio, satisfied.id, holder, [4]));
    expect(one.code).toBe("nothing_to_repair");
    expect(one.message).toBe("Section 4 is already satisfied (or still being checked): there is nothing to repair.");
    expect((await refusal(() => repairDocument(studio, satisfied.id, holder, null))).message).toMatch(/^Every section is already satisfied/);
  });

  it("refuses when the document stopped being complete while the request was admitted", async () => {
    let reads = 0;
    const { studio, started } = studioWith(deficient, {
      store: { get: async () => (++reads === 1 ? deficient : { ...deficient, status: "cancelled" }), restart: async () => 7 },
    });
    const error = await refusal(() => repairDocument(studio, deficient.id, holder, null));
    expect(error).toMatchObject({ code: "not_repairable", message: "A cancelled document cannot be repaired: Continue or Retry finishes it first." });
    expect(started).toEqual([]);
  });
});
