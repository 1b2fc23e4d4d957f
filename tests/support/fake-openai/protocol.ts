/**
 * The wire formats the fake model server speaks: OpenAI Chat Completions (`chat.completion.chunk`
 * SSE frames, as OpenAI, Ollama, vLLM, LM Studio and OpenRouter send them) and the Responses API
 * streaming events. Both are written by one `StreamProtocol` so scenarios and faults are the same.
 */
import type { ErrorBodyStyle, ReasoningStyle } from "./scenarios";

export type Api = "chat" | "responses";

/** Ends the model can report. */
export type Ending = "stop" | "length" | "content_filter";

export interface Usage {
  promptChars: number;
  completionChars: number;
}

const tokens = (chars: number) => Math.ceil(chars / 4);

/** Frames of one streamed answer, in order. */
export interface StreamProtocol {
  /** Before any text. */
  start(): string;
  text(delta: string): string;
  /** Reasoning in its dedicated channel (think tags travel as text instead). */
  reasoning(delta: string): string;
  /** The model's own end, with usage, and the stream's terminator. */
  finish(ending: Ending, usage: Usage): string;
  /** An error object sent inside the stream. */
  errorEvent(error: { message: string; code: string | number }): string;
  /** A chunk that is not valid JSON. */
  malformed(): string;
}

const data = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;

export function chatProtocol(options: { id: number; model: string; includeUsage: boolean; reasoningStyle: ReasoningStyle }): StreamProtocol {
  const base = { id: `chatcmpl-fake${options.id}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: options.model, system_fingerprint: "fp_fake" };
  const usageField = options.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    data({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...usageField });
  return {
    start: () => chunk({ role: "assistant", content: "" }),
    text: (delta) => chunk({ content: delta }),
    reasoning: (delta) => chunk({ [options.reasoningStyle === "reasoning" ? "reasoning" : "reasoning_content"]: delta }),
    finish(ending, usage) {
      let frames = chunk({}, ending);
      if (options.includeUsage) {
        const prompt_tokens = tokens(usage.promptChars);
        const completion_tokens = tokens(usage.completionChars);
        frames += data({ ...base, choices: [], usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens } });
      }
      return `${frames}data: [DONE]\n\n`;
    },
    // OpenRouter's mid-stream error: the error object and finish_reason "error" in one chunk.
    errorEvent: (error) => data({ ...base, error, choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }] }),
    malformed: () => `data: {"id":"${base.id}","choices":[{"index":0,"delta":{"content":"half a chu\n\n`,
  };
}

export function responsesProtocol(options: { id: number; model: string }): StreamProtocol {
  const responseId = `resp_fake${options.id}`;
  const messageId = `msg_fake${options.id}`;
  const reasoningId = `rs_fake${options.id}`;
  const created = Math.floor(Date.now() / 1000);
  let sequence = 0;
  let text = "";
  let reasoning = "";
  let messageOpen = false;
  let reasoningOpen = false;
  const event = (type: string, payload: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...payload })}\n\n`;
  const response = (status: string, extra: Record<string, unknown> = {}) => ({ id: responseId, object: "response", created_at: created, model: options.model, status, output: [], ...extra });
  const closeReasoning = () => {
    if (!reasoningOpen) return "";
    reasoningOpen = false;
    return (
      event("response.reasoning_summary_part.done", { item_id: reasoningId, output_index: 0, summary_index: 0, part: { type: "summary_text", text: reasoning } }) +
      event("response.output_item.done", { output_index: 0, item: { type: "reasoning", id: reasoningId, summary: [{ type: "summary_text", text: reasoning }] } })
    );
  };
  const openMessage = () => {
    if (messageOpen) return "";
    messageOpen = true;
    return (
      closeReasoning() +
      event("response.output_item.added", { output_index: 1, item: { type: "message", id: messageId, status: "in_progress", role: "assistant", content: [] } }) +
      event("response.content_part.added", { item_id: messageId, output_index: 1, content_index: 0, part: { type: "output_text", text: "", annotations: [] } })
    );
  };
  return {
    start: () => event("response.created", { response: response("in_progress") }) + event("response.in_progress", { response: response("in_progress") }),
    text(delta) {
      text += delta;
      return openMessage() + event("response.output_text.delta", { item_id: messageId, output_index: 1, content_index: 0, delta, logprobs: [] });
    },
    reasoning(delta) {
      let frames = "";
      if (!reasoningOpen && !messageOpen) {
        reasoningOpen = true;
        frames +=
          event("response.output_item.added", { output_index: 0, item: { type: "reasoning", id: reasoningId, summary: [] } }) +
          event("response.reasoning_summary_part.added", { item_id: reasoningId, output_index: 0, summary_index: 0, part: { type: "summary_text", text: "" } });
      }
      reasoning += delta;
      return frames + event("response.reasoning_summary_text.delta", { item_id: reasoningId, output_index: 0, summary_index: 0, delta });
    },
    finish(ending, usage) {
      const usageField = {
        input_tokens: tokens(usage.promptChars),
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: tokens(usage.completionChars),
        output_tokens_details: { reasoning_tokens: tokens(reasoning.length) },
        total_tokens: tokens(usage.promptChars) + tokens(usage.completionChars),
      };
      const message = { type: "message", id: messageId, status: ending === "stop" ? "completed" : "incomplete", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] };
      const frames =
        openMessage() +
        event("response.output_text.done", { item_id: messageId, output_index: 1, content_index: 0, text }) +
        event("response.content_part.done", { item_id: messageId, output_index: 1, content_index: 0, part: message.content[0] }) +
        event("response.output_item.done", { output_index: 1, item: message });
      if (ending === "stop") return frames + event("response.completed", { response: response("completed", { output: [message], usage: usageField, incomplete_details: null }) });
      const reason = ending === "length" ? "max_output_tokens" : "content_filter";
      return frames + event("response.incomplete", { response: response("incomplete", { output: [message], usage: usageField, incomplete_details: { reason } }) });
    },
    errorEvent: (error) => event("error", { code: String(error.code), message: error.message, param: null }),
    malformed: () => `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"${messageId}","delta":"half a chu\n\n`,
  };
}

/** A whole answer as one JSON document (servers that do not stream, or `stream: false`). */
export function completeAnswer(api: Api, options: { id: number; model: string; text: string; ending: Ending; usage: Usage }): unknown {
  const { id, model, text, ending, usage } = options;
  if (api === "chat") {
    const prompt_tokens = tokens(usage.promptChars);
    const completion_tokens = tokens(usage.completionChars);
    return {
      id: `chatcmpl-fake${id}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: ending }],
      usage: { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens },
    };
  }
  return {
    id: `resp_fake${id}`,
    object: "response",
    status: ending === "stop" ? "completed" : "incomplete",
    model,
    output: [{ type: "message", id: `msg_fake${id}`, role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }],
    output_text: text,
  };
}

/** An HTTP error body in the style of a given server. */
export function errorBody(style: ErrorBodyStyle, status: number, message: string): { contentType: string; body: string } {
  const json = (payload: unknown) => ({ contentType: "application/json", body: JSON.stringify(payload) });
  switch (style) {
    case "openai":
      return json({ error: { message, type: status === 429 ? "requests" : status < 500 ? "invalid_request_error" : "server_error", param: null, code: status === 429 ? "rate_limit_exceeded" : null } });
    case "vllm":
      return json({ object: "error", detail: message });
    case "ollama":
      return json({ error: message });
    case "message":
      return json({ message });
    case "text":
      return { contentType: "text/plain; charset=utf-8", body: message };
  }
}

/** The text of a message in either API's content shapes. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { type?: unknown; text?: unknown }) => (typeof part?.text === "string" && ["text", "input_text", "output_text", undefined].includes(part.type as string) ? part.text : ""))
    .join("");
}
