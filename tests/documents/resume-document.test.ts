import { describe, expect, it } from "vitest";
import type { DocumentError } from "@/lib/documents/document-error";
import type { Requester } from "@/lib/documents/requester";
import { continueDocument, retryDocument } from "@/lib/documents/resume-document";
import type { DesignDocument } from "@/lib/documents/types";
import { designDocument } from "../support/design-document";
import { fakeStudio, type FakeStudioParts } from "../support/fake-studio";
import { rejectionOf } from "../support/thrown";

const holder: Requester = { clientKey: "ip:a", scope: "ip:a", tokenHolder: true, editToken: null };
const history = [{ at: "2026-11-30T00:00:00.000Z", kind: "retried" as const, message: "503 once" }];
const cancelled = designDocument({ status: "cancelled", markdown: "# Half 😀", version: 2, history });

function studioWith(document: DesignDocument, parts: FakeStudioParts = {}) {
  const started: DesignDocument[] = [];
  const studio = fakeStudio({
    documents: [document],
    store: {
      restart: async () => 8,
      restartAsNewVersion: async () => ({ fence: 9, version: document.version + 1 }),
    },
    generations: { start: async (started_: DesignDocument) => (started.push(started_), { done: Promise.resolve() }) },
    admission: { admit: async () => {}, trackRunning: async () => {} },
    ...parts,
  });
  return { studio, started };
}

describe("Continue and Retry", () => {
  it("continues the same version from its text, keeping its history", async () => {
    const { studio, started } = studioWith(cancelled);
    const restarted = await continueDocument(studio, cancelled.id, holder);
    expect(restarted).toMatchObject({ status: "generating", fence: 8, version: 2, markdown: "# Half 😀", instance: "instance-test", error: null, report: null });
    expect(restarted.history).toEqual(history);
    expect(started).toEqual([restarted]);
  });

  it("retries as a new version with a fresh history, saying what the version before it was", async () => {
    const { studio } = studioWith(cancelled);
    const retried = await retryDocument(studio, cancelled.id, holder);
    expect(retried).toMatchObject({ status: "generating", fence: 9, version: 3, passVersion: 3, markdown: "", history: [] });
    expect(retried.passReason).toBe("Generated again from the start (Retry: version 2 had been stopped)");
    const complete = { ...cancelled, status: "complete" as const };
    expect((await retryDocument(studioWith(complete).studio, complete.id, holder)).passReason).toBe(
      "Generated again from the start (Regenerate: version 2 was complete)",
    );
  });

  it("refuses an unknown id, a running document (naming what it is doing), and a lost race for the restart", async () => {
    expect((await rejectionOf<DocumentError>(() => continueDocument(studioWith(cancelled).studio, "EEEEEEEEEEEEEEEEEEEEEE", holder))).message).toBe("No document with this id.");
    const repairing = { ...cancelled, status: "repairing" as const };
    const busy = await rejectionOf<DocumentError>(() => retryDocument(studioWith(repairing).studio, repairing.id, holder));
    expect(busy).toMatchObject({ code: "already_generating", message: "This document is already being repaired." });
    const generating = { ...cancelled, status: "generating" as const };
    expect((await rejectionOf<DocumentError>(() => continueDocument(studioWith(generating).studio, generating.id, holder))).message).toBe("This document is already being generated.");
    const lost = studioWith(cancelled, { store: { restart: async () => null } }).studio;
    expect((await rejectionOf<DocumentError>(() => continueDocument(lost, cancelled.id, holder))).code).toBe("already_generating");
  });

  it("restarts nothing while the final state of its last job waits for storage, and re-reads it once stored", async () => {
    const job = { result: { status: "failed", error: "storage down" } };
    const down = studioWith(cancelled, { registry: { get: () => job, saveUnsaved: async () => false } }).studio;
    const refused = await rejectionOf<DocumentError>(() => continueDocument(down, cancelled.id, holder));
    expect(refused).toMatchObject({ code: "storage_unavailable", retryAfterSeconds: 10 });

    let reads = 0;
    let held: typeof job | undefined = job;
    const back = studioWith(cancelled, {
      registry: { get: () => held, saveUnsaved: async () => ((held = undefined), true) },
      store: { get: async () => (++reads === 1 ? { ...cancelled, status: "complete" } : cancelled), restart: async () => 8 },
    }).studio;
    expect((await continueDocument(back, cancelled.id, holder)).status).toBe("generating");
    expect(reads).toBe(2);
  });
});
