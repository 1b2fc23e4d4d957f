import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDemoModel } from "@/lib/generation/demo-model";

afterEach(() => {
  vi.useRealTimers();
});

async function streamDemo(document: string, prefix = "", instruction = "") {
  vi.useFakeTimers();
  const model = createDemoModel({ document, durationSeconds: 1 });
  const prompt = [
    { role: "user" as const, content: [{ type: "text" as const, text: "Write" }] },
    ...(prefix ? [{ role: "assistant" as const, content: [{ type: "text" as const, text: prefix }] }] : []),
    // The app's continuation instruction comes after the text so far.
    ...(instruction ? [{ role: "user" as const, content: [{ type: "text" as const, text: instruction }] }] : []),
  ];
  const { stream } = await model.doStream({ prompt });
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = stream.getReader();
  const reading = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value);
  })();
  await vi.runAllTimersAsync();
  await reading;
  return parts;
}

describe("the demo model", () => {
  it("never splits a surrogate pair between deltas", async () => {
    // 1025 UTF-16 units in 1 s at 40 ms a tick: 41 units a tick, an odd number that lands inside pairs.
    const document = `${"🦀".repeat(512)}x`;
    const parts = await streamDemo(document);
    const deltas = parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : []));
    expect(deltas.join("")).toBe(document);
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.every((delta) => delta.isWellFormed())).toBe(true);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "stop" } });
  });

  it("continues after the assistant text it is given, like a model asked to continue", async () => {
    const document = "# Title\n\nFirst paragraph. Second paragraph.";
    const parts = await streamDemo(document, "# Title\n\nFirst");
    expect(parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe(" paragraph. Second paragraph.");
  });

  it("finds the text so far before the continuation instruction, and reports its output as a quarter token a character", async () => {
    const document = "# Title\n\nFirst paragraph. Second paragraph.";
    const parts = await streamDemo(document, "# Title\n\nFirst", "Continue exactly where you stopped.");
    expect(parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe(" paragraph. Second paragraph.");
    const finish = parts.at(-1);
    expect(finish?.type === "finish" && finish.usage.outputTokens.total).toBe(Math.ceil(" paragraph. Second paragraph.".length / 4));
    expect(finish?.type === "finish" && finish.usage.inputTokens).toStrictEqual({ total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
  });
});
