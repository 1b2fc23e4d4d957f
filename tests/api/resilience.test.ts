import { describe, expect, it } from "vitest";
import { DocumentStore } from "@/lib/store/document-store";
import { DEFAULT_DOCUMENT } from "../support/fake-openai/documents";
import { useStudioHarness } from "../support/studio-harness";

const h = useStudioHarness({ MAX_CONTINUATIONS: "4", MAX_ATTEMPTS: "3" });

describe("output-token limit", () => {
  it("stops at MAX_CONTINUATIONS with the text kept and a reason", async () => {
    h.fake.setScenario({ lengthAtChar: 200, faultOnce: false });
    const { id } = await h.createOk("Length Limit Always");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toMatch(/MAX_CONTINUATIONS/);
    expect(finished.continuations).toBe(4);
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT.slice(0, 1000));
    expect(h.fake.requests).toHaveLength(5);
  });
});

// Provider faults over both APIs: tests/api/provider-faults-*.test.ts.
describe("Continue and Retry", () => {
  it("Retry starts over from nothing", async () => {
    h.fake.setScenario({ resetAtChar: 500 });
    const { id } = await h.createOk("Retry From Scratch");
    await h.waitUntilFinished(id);
    const restarted = await h.action(id, "retry");
    expect(((await restarted.json()) as { markdown: string }).markdown).toBe("");
    const finished = await h.waitUntilFinished(id);
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT);
    expect(h.fake.requests[1]?.isContinuation).toBe(false);
  });

  it("starts a stopped document once when Continue and Retry requests race; the others get 409", async () => {
    h.fake.setScenario({ resetAtChar: 500 });
    const { id } = await h.createOk("Racing Continues");
    await h.waitUntilFinished(id);
    h.fake.resetScenario();
    const responses = await Promise.all([h.action(id, "continue"), h.action(id, "continue"), h.action(id, "retry"), h.action(id, "continue")]);
    expect(responses.map((response) => response.status).sort()).toEqual([202, 409, 409, 409]);
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT);
    expect(h.fake.requests).toHaveLength(2);
  });

  it("refuses to continue a running or complete document", async () => {
    h.fake.setScenario({ delayMs: 20 });
    const { id } = await h.createOk("Continue While Running");
    expect((await h.action(id, "continue")).status).toBe(409);
    await h.action(id, "cancel");
    h.fake.resetScenario();
    await h.action(id, "continue");
    await h.waitUntilFinished(id);
    const again = await h.action(id, "continue");
    expect(again.status).toBe(409);
  });
});

describe("restarts", () => {
  it("keeps at least the text checkpointed a second before a crash, and marks it interrupted", async () => {
    h.fake.setScenario({ chunkSize: 10, delayMs: 10 });
    const { id } = await h.createOk("Crash Mid Stream");
    await h.fake.waitFor((requests) => (requests[0]?.servedChars ?? 0) > 300);
    const textOneSecondBefore = h.studio.registry.get(id)!.text;
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // A new process opening the same database: what it finds is what survives a SIGKILL now.
    const reopened = await DocumentStore.open(h.databaseUrl);
    expect(await reopened.markInterrupted("server restarted")).toBe(1);
    const survivor = (await reopened.get(id))!;
    expect(survivor.status).toBe("interrupted");
    expect(survivor.markdown.startsWith(textOneSecondBefore)).toBe(true);
    expect(DEFAULT_DOCUMENT.startsWith(survivor.markdown)).toBe(true);
    await reopened.close();

    // The old job (a zombie from the new process's point of view) cannot overwrite that state.
    await h.studio.registry.cancel(id);
    expect((await h.getJson(id)).status).toBe("interrupted");

    await h.action(id, "continue");
    const finished = await h.waitUntilFinished(id);
    expect(finished.status).toBe("complete");
    expect(finished.markdown).toBe(DEFAULT_DOCUMENT);
  });
});

describe("coalescing", () => {
  it("sends 20 identical concurrent requests to the model once", async () => {
    h.fake.setScenario({ delayMs: 10 });
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.create({ topic: "Thundering Herd", fresh: true })));
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as { id: string; coalesced: boolean }[];
    expect(responses.map((response) => response.status).sort()).toEqual([...Array<number>(19).fill(200), 201]);
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(bodies.filter((body) => body.coalesced)).toHaveLength(19);
    await h.waitUntilFinished(bodies[0]!.id);
    expect(h.fake.requests).toHaveLength(1);
  });

  it("offers a finished identical document instead of generating again, unless asked for a fresh one", async () => {
    const first = await h.createOk("Already Generated Topic");
    await h.waitUntilFinished(first.id);
    const again = await h.create({ topic: "  already generated   TOPIC " });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, alreadyGenerated: true });
    const fresh = await h.create({ topic: "Already Generated Topic", fresh: true });
    expect(fresh.status).toBe(201);
    const freshId = ((await fresh.json()) as { id: string }).id;
    expect(freshId).not.toBe(first.id);
    await h.waitUntilFinished(freshId);
    expect(h.fake.requests).toHaveLength(2);
  });
});
