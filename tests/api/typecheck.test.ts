/**
 * A finished generation is type-checked before its final report is stored and before readers get
 * `end`; the result is in GET /api/documents/{id} (section 5's item and `typecheck`).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sharedTypecheckWorker } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { TypecheckWorker } from "@/lib/typecheck/worker-client";
import { consumeDocumentStream } from "../support/sse";
import { startStudioHarness, type StudioHarness } from "../support/studio-harness";

const LIBRARY_DOC = readFileSync(fileURLToPath(new URL("../../lib/examples/library/rate-limiting.md", import.meta.url)), "utf8");
const MISBEHAVING = fileURLToPath(new URL("../support/typecheck/misbehaving-worker.mjs", import.meta.url));
const SECTION5_CODE_LINE = /^export (async )?function .*$/m;

interface Requirement {
  id: string;
  met: boolean;
  required: boolean;
  reason: string;
}
interface Finished {
  status: string;
  satisfied: number;
  sections: { number: number; state: string; requirements: Requirement[] }[];
  typecheck: TypecheckResult | null;
}

let h: StudioHarness;
const globalForTypecheck = globalThis as typeof globalThis & { __designDocTypecheck?: TypecheckWorker };

beforeAll(async () => {
  h = await startStudioHarness();
});
afterAll(async () => {
  await h.close();
  await sharedTypecheckWorker().close();
});
beforeEach(() => {
  h.fake.resetScenario();
});

async function generate(markdown: string, topic: string): Promise<{ id: string; endedAt: number; document: Finished }> {
  h.fake.setScenario({ document: markdown, chunkSize: 4000, delayMs: 1 });
  const { id } = await h.createOk(topic);
  const stream = await h.stream(id);
  await consumeDocumentStream(stream.body!);
  // Right after `end`: the stored report already has the type check.
  const document = (await (await h.get(id)).json()) as Finished;
  return { id, endedAt: Date.now(), document };
}

const typeChecks = (document: Finished) => document.sections[4]?.requirements.find((r) => r.id === "type-checks");

describe("type check at the end of a generation", () => {
  it("a document whose code type-checks: the item is met in the stored report before `end`", async () => {
    const { document } = await generate(LIBRARY_DOC, "Typecheck Clean");
    expect(document.status).toBe("complete");
    expect(document.typecheck?.status).toBe("checked");
    expect(document.typecheck?.section5.blocks).toBeGreaterThan(0);
    expect(document.typecheck?.blocks.length).toBeGreaterThan(document.typecheck?.section5.blocks ?? 0);
    expect(typeChecks(document)).toMatchObject({ met: true, required: true });
    expect(document.sections[4]?.state).toBe("satisfied");
  });

  it("a type error in section 5: the item is unmet with the error and its line, section 5 incomplete", async () => {
    const broken = LIBRARY_DOC.replace("## 6.", "```ts\nexport const retryAfterMs: number = \"1000\";\n```\n\n## 6.");
    expect(broken).not.toBe(LIBRARY_DOC);
    const { document } = await generate(broken, "Typecheck Broken");
    const item = typeChecks(document);
    expect(item).toMatchObject({ met: false, required: true });
    expect(item?.reason).toMatch(/1 type error: block \d+ line 1: TS2322/);
    expect(document.sections[4]?.state).toBe("incomplete");
    const line = document.typecheck?.section5.diagnostics[0]?.documentLine ?? 0;
    expect(broken.split("\n")[line - 1]).toBe('export const retryAfterMs: number = "1000";');
  });

  it("a stopped document is not held up by the check; the item says it was not checked", async () => {
    h.fake.setScenario({ document: LIBRARY_DOC, chunkSize: 200, delayMs: 20 });
    const { id } = await h.createOk("Typecheck Stopped");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await h.action(id, "cancel");
    const document = (await (await h.get(id)).json()) as Finished;
    expect(document.status).toBe("cancelled");
    expect(document.typecheck).toMatchObject({ status: "unavailable", reason: "the document did not finish, so its code was not type-checked" });
  });

  it("a hung checker never leaves a document stuck: it completes when the timeout fires, reported as not checked", async () => {
    const original = globalForTypecheck.__designDocTypecheck;
    const hanging = new TypecheckWorker({ script: MISBEHAVING, timeoutMs: 800 });
    globalForTypecheck.__designDocTypecheck = hanging;
    try {
      const hangs = LIBRARY_DOC.replace(SECTION5_CODE_LINE, (line) => `// HANG_THE_CHECKER\n${line}`);
      const started = Date.now();
      const { document, endedAt } = await generate(hangs, "Typecheck Hung");
      expect(endedAt - started).toBeGreaterThanOrEqual(800);
      expect(endedAt - started).toBeLessThan(5000);
      expect(document.status).toBe("complete");
      expect(document.typecheck).toMatchObject({ status: "unavailable", reason: "the type check did not finish within 800 ms" });
      expect(typeChecks(document)).toMatchObject({ met: false, required: false });
      expect(typeChecks(document)?.reason).toMatch(/^Not type-checked/);
      // The worker was replaced: the next document is checked.
      const next = await generate(LIBRARY_DOC, "Typecheck After Hang");
      expect(next.document.typecheck?.status).toBe("checked");
      expect(hanging.starts).toBe(2);
    } finally {
      await hanging.close();
      globalForTypecheck.__designDocTypecheck = original;
    }
  });
});

describe("the stored report", () => {
  it("is read back from the store with its type check", async () => {
    const { id, document } = await generate(LIBRARY_DOC, "Typecheck Stored");
    const stored = await h.studio.store.get(id);
    expect(stored?.report?.typecheck).toEqual(document.typecheck);
    expect(stored?.report?.typecheck?.checkedLength).toBe(stored?.markdown.length);
  });
});
