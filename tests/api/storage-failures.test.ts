/**
 * Storage failures are states: a failed checkpoint is written again; storage that stays
 * unavailable ends the job `failed` with a storage message while its text stays in memory (served
 * to readers and the API, saved once storage works); no reader hears `complete` before the final
 * text is stored; Continue and Cancel behave. Storage faults are injected at the store's methods,
 * with the message SQLite gives for a full disk.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { consumeDocumentStream } from "../support/sse";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness({ CHECKPOINT_INTERVAL_MS: "100" });
const diskFull = () => new Error("SqliteError: database or disk is full");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("storage failures", () => {
  it("writes a failed checkpoint again at the next interval", async () => {
    // 300 characters arrive at once, then the model stalls: only a retried checkpoint can store them.
    h.fake.setScenario({ chunkSize: 300, stallAtChar: 300 });
    const checkpoint = vi.spyOn(h.studio.store, "checkpoint").mockRejectedValueOnce(diskFull()).mockRejectedValueOnce(diskFull());
    const { id } = await h.createOk("Checkpoint Hiccup");
    await h.fake.waitFor((requests) => requests[0]?.outcome === "stall");
    await vi.waitFor(async () => expect((await h.studio.store.get(id))!.markdown).toBe(DEFAULT_DOCUMENT.slice(0, 300)), { timeout: 1_000, interval: 50 });
    expect(checkpoint.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect((await h.studio.store.get(id))!.status).toBe("generating");
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT.slice(0, 300) }); // the idle timeout
  });

  it("tells no reader `complete` before the final text is stored", async () => {
    let storedAt = 0;
    const finish = h.studio.store.finish.bind(h.studio.store);
    vi.spyOn(h.studio.store, "finish")
      .mockRejectedValueOnce(diskFull())
      .mockImplementationOnce(async (...args) => {
        const stored = await finish(...args);
        storedAt = Date.now();
        return stored;
      });
    const { id } = await h.createOk("Final Write Hiccup");
    const { end } = await consumeDocumentStream((await h.stream(id)).body!);
    const heardAt = Date.now();
    expect(end?.status).toBe("complete");
    expect(storedAt).toBeGreaterThan(0);
    expect(heardAt).toBeGreaterThanOrEqual(storedAt);
    expect((await h.studio.store.get(id))!).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
  });

  it("ends the job `failed` when storage stays unavailable, keeps the text in memory, and saves it once storage is back", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 10 });
    const checkpoint = vi.spyOn(h.studio.store, "checkpoint").mockRejectedValue(diskFull());
    const finish = vi.spyOn(h.studio.store, "finish").mockRejectedValue(diskFull());
    const { id } = await h.createOk("Disk Full");
    const consumed = await consumeDocumentStream((await h.stream(id)).body!);
    expect(consumed.end?.status).toBe("failed");
    expect(consumed.end?.error).toMatch(/^The document could not be saved: storage failed \(SqliteError: database or disk is full\)\. The text is kept in this server's memory/);
    expect(consumed.end?.error).toMatch(/3 checkpoints in a row could not be saved/);
    expect(consumed.text.length).toBeGreaterThan(0);
    expect(consumed.text.length).toBeLessThan(DEFAULT_DOCUMENT.length); // stopped early: nothing more could be stored
    await h.fake.waitFor((requests) => requests[0]?.closedByClient === true, 2_000);

    // No live process leaves it `generating`: the API shows the failure and the text held in memory.
    const shown = await h.getJson(id);
    expect(shown).toMatchObject({ status: "failed", markdown: consumed.text, error: consumed.end?.error });
    expect((await h.studio.store.get(id))!.status).toBe("generating");
    expect(h.studio.registry.activeCount).toBe(0);

    // Continue cannot restart what is not stored yet; Cancel changes nothing and answers the state.
    const refused = await h.action(id, "continue");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("storage_unavailable");
    const cancelled = await h.action(id, "cancel");
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: "failed", markdown: consumed.text });

    // Storage comes back: the held state is written in the background, then Continue finishes the document.
    checkpoint.mockRestore();
    finish.mockRestore();
    await vi.waitFor(async () => expect((await h.studio.store.get(id))!.status).toBe("failed"), { timeout: 5_000, interval: 100 });
    expect((await h.studio.store.get(id))!.markdown).toBe(consumed.text);
    expect((await h.action(id, "continue")).status).toBe(202);
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
  });

  it("never ends a finished first pass `complete` without its version: refused, it is held with the final state and stored first", async () => {
    const saveVersion = vi.spyOn(h.studio.store, "saveVersion").mockRejectedValue(diskFull());
    const finish = vi.spyOn(h.studio.store, "finish");
    const { id } = await h.createOk("Version Unsaved");
    const { end, text } = await consumeDocumentStream((await h.stream(id)).body!);
    expect(text).toBe(DEFAULT_DOCUMENT);
    expect(end).toMatchObject({ status: "failed", error: expect.stringMatching(/^The document could not be saved: storage failed \(SqliteError: database or disk is full\)/) });
    // Three quick tries of the version, and no final write claiming an end without it.
    expect(saveVersion).toHaveBeenCalledTimes(3);
    expect(finish).not.toHaveBeenCalled();
    expect(await h.getJson(id)).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT, error: end?.error });
    expect((await h.studio.store.get(id))!.status).toBe("generating");
    expect(await h.versions(id)).toEqual([]);
    expect((await h.action(id, "continue")).status).toBe(503);

    // Storage is back: the background write stores the version, then the final state.
    saveVersion.mockRestore();
    await vi.waitFor(async () => expect((await h.studio.store.get(id))!.status).toBe("failed"), { timeout: 5_000, interval: 100 });
    expect(await h.versions(id)).toEqual([{ version: 1, createdAt: expect.any(String), reason: "First pass", satisfied: expect.any(Number) }]);
    expect(await (await h.markdown(id, 1)).text()).toBe(DEFAULT_DOCUMENT);
    expect((await h.action(id, "continue")).status).toBe(202);
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
  });

  it("never announces a finished generation as complete while its final write fails; Continue saves it first", async () => {
    vi.spyOn(h.studio.store, "finish").mockRejectedValue(diskFull());
    const { id } = await h.createOk("Finished But Unsaved");
    const { end, text } = await consumeDocumentStream((await h.stream(id)).body!);
    expect(text).toBe(DEFAULT_DOCUMENT);
    expect(end).toMatchObject({ status: "failed", error: expect.stringMatching(/^The document could not be saved/) });
    expect(await h.getJson(id)).toMatchObject({ status: "failed", markdown: DEFAULT_DOCUMENT });

    vi.restoreAllMocks();
    expect((await h.action(id, "continue")).status).toBe(202); // stores the held state, then continues from it
    expect(await h.waitUntilFinished(id)).toMatchObject({ status: "complete", markdown: DEFAULT_DOCUMENT });
    expect(h.fake.requests.at(-1)).toMatchObject({ isContinuation: true, continuationChars: DEFAULT_DOCUMENT.length });
  });
});
