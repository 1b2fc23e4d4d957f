/**
 * The worker client never leaves a caller waiting: a hung worker is terminated when its timeout
 * fires, a crashed one answers at once, and either way the next request gets a fresh worker.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { typecheckDocument } from "@/lib/typecheck/check-document";
import { TypecheckWorker, type CheckFile } from "@/lib/typecheck/worker-client";
import { typecheckVerdict } from "@/lib/typecheck/verdict";

const MISBEHAVING = fileURLToPath(new URL("../support/typecheck/misbehaving-worker.mjs", import.meta.url));
const SILENT = fileURLToPath(new URL("../support/typecheck/silent-worker.mjs", import.meta.url));
const file = (marker: string): CheckFile[] => [{ name: "block-0.ts", text: `export const marker = "${marker}";`, assumeFreeNames: false }];

let worker: TypecheckWorker | undefined;
afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

describe("TypecheckWorker failures", () => {
  it("a hung check answers 'could not run' when the timeout fires, not before; the next check gets a new worker", async () => {
    worker = new TypecheckWorker({ script: MISBEHAVING, timeoutMs: 400 });
    expect(await worker.warm()).toBe(true);
    const started = performance.now();
    const outcome = await worker.check(file("HANG_THE_CHECKER"));
    const elapsed = performance.now() - started;
    expect(outcome).toEqual({ ok: false, reason: "the type check did not finish within 400 ms" });
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1500);
    expect(worker.starts).toBe(1);

    const next = await worker.check(file("fine"));
    expect(next.ok).toBe(true);
    expect(worker.starts).toBe(2);
  });

  it("a request queued behind a hung one is answered by the fresh worker", async () => {
    worker = new TypecheckWorker({ script: MISBEHAVING, timeoutMs: 300 });
    const [hung, queued] = await Promise.all([worker.check(file("HANG_THE_CHECKER")), worker.check(file("fine"))]);
    expect(hung.ok).toBe(false);
    expect(queued.ok).toBe(true);
  });

  it("a crash answers at once with the reason, and the worker is restarted", async () => {
    worker = new TypecheckWorker({ script: MISBEHAVING, timeoutMs: 10_000 });
    const started = performance.now();
    const crashed = await worker.check(file("CRASH_THE_CHECKER"));
    expect(crashed.ok).toBe(false);
    expect(!crashed.ok && crashed.reason).toMatch(/the type checker crashed \(compiler blew up\)/);
    expect(performance.now() - started).toBeLessThan(5000);
    const exited = await worker.check(file("EXIT_THE_CHECKER"));
    expect(!exited.ok && exited.reason).toMatch(/exit code 3/);
    expect((await worker.check(file("fine"))).ok).toBe(true);
    expect(worker.starts).toBe(3);
  });

  it("a request that waits too long for its turn gives up when its queue deadline passes", async () => {
    worker = new TypecheckWorker({ script: MISBEHAVING, timeoutMs: 1500, maxQueueWaitMs: 300 });
    const hung = worker.check(file("HANG_THE_CHECKER"));
    const started = performance.now();
    const waiting = await worker.check(file("fine"));
    const elapsed = performance.now() - started;
    expect(waiting).toEqual({ ok: false, reason: "the type checker was busy for more than 300 ms" });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1400);
    expect((await hung).ok).toBe(false);
  });

  it("a worker that never finishes loading is given up when the start-up budget runs out, not the (shorter) check timeout", async () => {
    worker = new TypecheckWorker({ script: SILENT, startupTimeoutMs: 600, timeoutMs: 100 });
    const started = performance.now();
    const outcome = await worker.check(file("fine"));
    const elapsed = performance.now() - started;
    expect(outcome).toEqual({ ok: false, reason: "the type checker did not start within 600 ms" });
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(2000);
  });

  it("a missing worker script is a check that could not run, not an exception", async () => {
    worker = new TypecheckWorker({ script: "/nonexistent/typecheck-worker.mjs" });
    const outcome = await worker.check(file("fine"));
    expect(outcome.ok).toBe(false);
  });

  it("typecheckDocument turns a failure into an 'unavailable' result that does not count against section 5", async () => {
    worker = new TypecheckWorker({ script: MISBEHAVING, timeoutMs: 300 });
    const markdown = "# T\n\n## 5. Full Production-Grade Implementation\n\n```ts\nexport const hang = 1;\n```\n";
    const result = await typecheckDocument(markdown, { worker: { check: () => worker!.check(file("HANG_THE_CHECKER")) } });
    expect(result).toMatchObject({ status: "unavailable", reason: "the type check did not finish within 300 ms", checkedLength: markdown.length });
    expect(typecheckVerdict(result)).toMatchObject({ met: false, counts: false, pending: false });
  });
});
