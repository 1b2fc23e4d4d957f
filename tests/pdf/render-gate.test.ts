import { afterEach, describe, expect, it, vi } from "vitest";
import { RenderBusyError, RenderGate, RenderTimeoutError } from "@/lib/pdf/render-gate";

/** A task the test finishes by hand, recording when it started and its abort signal. */
function controllable() {
  let finish!: (value: string) => void;
  const task = {
    started: false,
    signal: undefined as AbortSignal | undefined,
    finish: (value: string) => finish(value),
    run: (signal: AbortSignal) => {
      task.started = true;
      task.signal = signal;
      return new Promise<string>((resolve) => (finish = resolve));
    },
  };
  return task;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("render gate", () => {
  it("runs one render at a time, in arrival order", async () => {
    const gate = new RenderGate<string>({ queueLimit: 3, timeoutMs: 10_000 });
    const first = controllable();
    const second = controllable();
    const a = gate.run("a", first.run);
    const b = gate.run("b", second.run);
    await flush();
    expect([first.started, second.started]).toEqual([true, false]);
    first.finish("A");
    expect(await a).toBe("A");
    await flush();
    expect(second.started).toBe(true);
    second.finish("B");
    expect(await b).toBe("B");
    expect(gate.load).toBe(0);
  });

  it("shares a render between requests for the same key", async () => {
    const gate = new RenderGate<string>({ queueLimit: 0, timeoutMs: 10_000 });
    const task = controllable();
    const spy = vi.fn(task.run);
    const a = gate.run("same", spy);
    const b = gate.run("same", spy);
    await flush();
    task.finish("pdf");
    expect(await Promise.all([a, b])).toEqual(["pdf", "pdf"]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("refuses beyond the queue, with a retry hint, and admits again once there is room", async () => {
    const gate = new RenderGate<string>({ queueLimit: 2, timeoutMs: 5_000 });
    const tasks = [controllable(), controllable(), controllable()];
    const running = tasks.map((task, index) => gate.run(`k${index}`, task.run));
    expect(gate.load).toBe(3);
    let refused: unknown;
    try {
      void gate.run("k3", controllable().run);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RenderBusyError);
    expect((refused as RenderBusyError).retryAfterSeconds).toBe(15);
    await flush();
    tasks[0]!.finish("0");
    await running[0];
    expect(() => gate.run("k4", controllable().run)).not.toThrow();
  });

  it("stops a render when its deadline passes (not before), counting from its start, and frees the slot", async () => {
    vi.useFakeTimers();
    const gate = new RenderGate<string>({ queueLimit: 1, timeoutMs: 1_000 });
    const stuck = controllable();
    const waiting = controllable();
    const outcome = gate.run("stuck", stuck.run).catch((error: unknown) => error);
    const next = gate.run("next", waiting.run);
    await vi.advanceTimersByTimeAsync(999);
    expect(stuck.signal?.aborted).toBe(false);
    expect(waiting.started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(RenderTimeoutError);
    expect(stuck.signal?.aborted).toBe(true);
    // The waiting render starts now, with a full deadline of its own.
    expect(waiting.started).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(waiting.signal?.aborted).toBe(false);
    waiting.finish("ok");
    expect(await next).toBe("ok");
  });
});
