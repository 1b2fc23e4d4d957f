import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDemoModel, type DemoModelOptions } from "@/lib/generation/demo-model";
import { REPAIR_MARKER } from "@/lib/generation/repair/repair-prompt";
import { sectionText } from "@/lib/repair/section-text";
import { analyzeSections } from "@/lib/sections/analyzer";
import { REQUEST_DEDUPLICATION } from "../repair/fixtures";

afterEach(() => {
  vi.useRealTimers();
});

type Prompt = LanguageModelV3CallOptions["prompt"];
const text = (value: string) => ({ type: "text" as const, text: value });

async function streamDemo(document: string, prefix = "", instruction = "") {
  const prompt: Prompt = [
    { role: "user", content: [text("Write")] },
    ...(prefix ? [{ role: "assistant" as const, content: [text(prefix)] }] : []),
    // The app's continuation instruction comes after the text so far.
    ...(instruction ? [{ role: "user" as const, content: [text(instruction)] }] : []),
  ];
  return streamPrompt({ document, durationSeconds: 1 }, prompt);
}

async function streamPrompt(options: DemoModelOptions, prompt: Prompt) {
  vi.useFakeTimers();
  const model = createDemoModel(options);
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
  it.each(["", "x", "xy"])("never splits a surrogate pair between deltas, and cuts nowhere else (document starting %j)", async (lead) => {
    // 1025 UTF-16 units in 1 s at 40 ms a tick: 41 units a tick, an odd number that lands inside pairs.
    const document = `${lead}${"🦀".repeat(512 - lead.length)}x`;
    const parts = await streamDemo(document);
    const deltas = parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : []));
    expect(deltas.join("")).toBe(document);
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.every((delta) => delta.isWellFormed())).toBe(true);
    // A piece is the tick's 41 units, or 42 where the 41st is the first half of a pair.
    expect(deltas.slice(0, -1).every((delta) => delta.length === (/[\uD800-\uDBFF]/.test(delta.charAt(40)) ? 42 : 41))).toBe(true);
    expect(parts.slice(0, 2)).toEqual([{ type: "stream-start", warnings: [] }, { type: "text-start", id: "demo" }]);
    expect(parts.at(-2)).toEqual({ type: "text-end", id: "demo" });
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: { unified: "stop", raw: "stop" } });
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

  it("answers a repair request with its section of the repair source, whatever comes before the user's text", async () => {
    const first = "# Deficient\n\n## 1. Context\n\nToo short.\n";
    const prompt: Prompt = [
      { role: "system", content: "You are a writer." },
      { role: "user", content: [{ type: "file", mediaType: "text/plain", data: "attached" }, text(`${REPAIR_MARKER} 7. Failure Modes & Edge Cases\nRewrite it.`)] },
    ];
    const parts = await streamPrompt({ document: first, durationSeconds: 1, repairSource: REQUEST_DEDUPLICATION }, prompt);
    const expected = sectionText(REQUEST_DEDUPLICATION, analyzeSections(REQUEST_DEDUPLICATION, { final: true }).sections, 7);
    expect(expected?.startsWith("## 7.")).toBe(true);
    expect(parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe(expected);
  });

  it("answers the last section of a repair source whole, and the document to anything that is not a repair request", async () => {
    const last = sectionText(REQUEST_DEDUPLICATION, analyzeSections(REQUEST_DEDUPLICATION, { final: true }).sections, 12);
    const repair = await streamPrompt({ document: "other", durationSeconds: 1, repairSource: REQUEST_DEDUPLICATION }, [{ role: "user", content: [text(`${REPAIR_MARKER} 12`)] }]);
    expect(repair.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe(last);
    const plain = await streamPrompt({ document: "the document", durationSeconds: 1, repairSource: REQUEST_DEDUPLICATION }, [{ role: "user", content: [text(`Write. ${REPAIR_MARKER} 12`)] }]);
    expect(plain.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe("the document");
  });

  it("continues after the text of the last assistant message, not its reasoning", async () => {
    const prompt: Prompt = [
      { role: "user", content: [text("Write")] },
      { role: "assistant", content: [{ type: "reasoning", text: "Let me think." }, text("# Title\n\nFirst")] },
    ];
    const parts = await streamPrompt({ document: "# Title\n\nFirst paragraph.", durationSeconds: 1 }, prompt);
    expect(parts.flatMap((part) => (part.type === "text-delta" ? [part.delta] : [])).join("")).toBe(" paragraph.");
  });

  it("stops with the abort's reason when the request is aborted mid-stream, and sends nothing after", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { stream } = await createDemoModel({ document: "x".repeat(1_000), durationSeconds: 1 }).doStream({ prompt: [{ role: "user", content: [text("Write")] }], abortSignal: controller.signal });
    const reader = stream.getReader();
    await reader.read(); // stream-start
    await reader.read(); // text-start
    await vi.advanceTimersByTimeAsync(40);
    expect((await reader.read()).value).toEqual({ type: "text-delta", id: "demo", delta: "x".repeat(40) });
    const reason = new Error("user cancelled");
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fails at once, with an AbortError when the signal has no reason, on a request aborted before it starts", async () => {
    const signal = { aborted: true, reason: undefined, addEventListener: vi.fn(), removeEventListener: vi.fn() } as unknown as AbortSignal;
    const { stream } = await createDemoModel({ document: "text", durationSeconds: 1 }).doStream({ prompt: [{ role: "user", content: [text("Write")] }], abortSignal: signal });
    const reader = stream.getReader();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError", message: "Aborted" });
    expect(signal.addEventListener).not.toHaveBeenCalled();
  });

  it("stops its timer when the reader cancels", async () => {
    vi.useFakeTimers();
    const { stream } = await createDemoModel({ document: "x".repeat(1_000), durationSeconds: 1 }).doStream({ prompt: [{ role: "user", content: [text("Write")] }] });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("only streams", async () => {
    await expect(createDemoModel({ document: "x", durationSeconds: 1 }).doGenerate({ prompt: [] })).rejects.toThrow("The demo model only streams.");
  });
});
