import { describe, expect, it } from "vitest";
import { loadDocument, requireDocument } from "@/lib/documents/load-document";
import type { DocumentError } from "@/lib/documents/document-error";
import { newRepairRecord } from "@/lib/generation/repair/run-repair-stage";
import { designDocument } from "../support/design-document";
import { FAKE_SECRET, fakeStudio } from "../support/fake-studio";
import { rejectionOf } from "../support/thrown";

const generating = designDocument({ status: "generating", markdown: "# Stored", version: 1, continuations: 0 });

function repairWithReason(reason: string) {
  const record = newRepairRecord({ trigger: "manual", target: null, maxRounds: 2, fromVersion: 1, firstPass: null });
  return { ...record, rounds: [{ round: 1, sections: [{ section: 3, reason }] }] } as unknown as typeof record;
}

describe("loading a document with the state of its running generation", () => {
  it("refuses ids that cannot be document ids without asking storage", async () => {
    const studio = fakeStudio({ store: { get: async () => { throw new Error("storage asked"); } } });
    expect(await loadDocument(studio, "short")).toBeNull();
    expect(await loadDocument(studio, "a/b".padEnd(22, "c"))).toBeNull();
    const error = await rejectionOf<DocumentError>(() => requireDocument(fakeStudio(), "CCCCCCCCCCCCCCCCCCCCCC"));
    expect(error.code).toBe("not_found");
  });

  it("takes the live text, stage, version, repair and instance of a generation another instance runs, redacted", async () => {
    const studio = fakeStudio({
      documents: [generating],
      generations: {
        live: async () => ({ instance: "instance-b", markdown: "# Live 🔥", status: "repairing", version: 3, continuations: 2, repair: repairWithReason(`leaked ${FAKE_SECRET}`) }),
      },
    });
    const loaded = (await loadDocument(studio, generating.id))!;
    expect(loaded).toMatchObject({ status: "repairing", markdown: "# Live 🔥", version: 3, continuations: 2, instance: "instance-b" });
    expect(JSON.stringify(loaded.repair)).toContain("leaked [redacted]");
    expect(JSON.stringify(loaded.repair)).not.toContain(FAKE_SECRET);
  });

  it("keeps the stored stage, version, continuations and repair where the live state does not know them", async () => {
    const stored = { ...generating, continuations: 4, repair: repairWithReason("stored") };
    const studio = fakeStudio({ documents: [stored], generations: { live: async () => ({ instance: null, markdown: "# Live" }) } });
    const loaded = (await loadDocument(studio, stored.id))!;
    expect(loaded).toMatchObject({ status: "generating", markdown: "# Live", version: 1, continuations: 4, instance: null });
    expect(loaded.repair).toBe(stored.repair);
  });

  it("asks for no live state of a finished document, and returns the stored one when none runs", async () => {
    const finished = designDocument();
    const noLive = fakeStudio({ documents: [finished], generations: { live: async () => { throw new Error("live asked"); } } });
    expect(await loadDocument(noLive, finished.id)).toBe(finished);
    const nothingRuns = fakeStudio({ documents: [generating] });
    expect(await loadDocument(nothingRuns, generating.id)).toBe(generating);
  });

  it("takes a job of this process: its text and redacted history, its status, and its held final state", async () => {
    const history = [{ at: "2026-11-30T00:00:00.000Z", kind: "retried" as const, message: `503 from ${FAKE_SECRET}` }];
    const job = { markdown: "# Job 😀", version: 2, continuations: 1, history, repair: null, sideState: undefined, status: "generating", result: undefined as unknown };
    const studio = fakeStudio({ documents: [generating], registry: { get: () => job } });
    const running = (await loadDocument(studio, generating.id))!;
    expect(running).toMatchObject({ status: "generating", markdown: "# Job 😀", version: 2, continuations: 1, error: null, instance: "instance-test" });
    expect(running.history).toEqual([{ ...history[0], message: "503 from [redacted]" }]);
    expect(history[0]!.message).toContain(FAKE_SECRET);

    job.result = { status: "failed", error: `The document could not be saved: ${FAKE_SECRET}` };
    const held = (await loadDocument(studio, generating.id))!;
    expect(held).toMatchObject({ status: "failed", error: "The document could not be saved: [redacted]" });
    job.result = { status: "complete", error: null };
    expect((await loadDocument(studio, generating.id))!.error).toBeNull();
  });
});
