import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";

export interface ScriptedAnswer {
  text: string;
  /** How the model says it finished: `length` is the output-token limit (the app continues). */
  finish: "stop" | "length";
}

/**
 * An in-process LanguageModelV3 that answers its requests with `answers`, one each and in order
 * (then an empty `stop`), all at once, and keeps every request's messages. Each answer reports
 * 10 input tokens and one output token per character.
 */
export function answeringModel(answers: readonly ScriptedAnswer[]) {
  const queue = [...answers];
  const prompts: LanguageModelV3CallOptions["prompt"][] = [];
  const model: LanguageModelV3 = {
    specificationVersion: "v3",
    provider: "test",
    modelId: "answering",
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error("The answering model only streams.")),
    async doStream(options) {
      prompts.push(options.prompt);
      const answer = queue.shift() ?? { text: "", finish: "stop" };
      const parts: LanguageModelV3StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "t" },
        { type: "text-delta", id: "t", delta: answer.text },
        { type: "text-end", id: "t" },
        {
          type: "finish",
          finishReason: { unified: answer.finish, raw: answer.finish },
          usage: {
            inputTokens: { total: 10, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
            outputTokens: { total: answer.text.length, text: undefined, reasoning: undefined },
          },
        },
      ];
      return { stream: new ReadableStream({ start: (controller) => (parts.forEach((part) => controller.enqueue(part)), controller.close()) }) };
    },
  };
  return { model, prompts };
}
