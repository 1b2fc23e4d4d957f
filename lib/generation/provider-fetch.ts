import "server-only";

/**
 * A streaming request answered with something that is not an event stream: a server or a proxy
 * that does not stream (or ignores `"stream": true`) sends one JSON document instead. The AI SDK
 * would read that as an empty stream; this says what happened.
 */
export class StreamingNotSupportedError extends Error {
  constructor(contentType: string, detail: string | null) {
    super(
      `The model provider answered a streaming request with a single ${contentType || "untyped"} response instead of a stream` +
        `${detail ? ` (${detail})` : ""}; check that the server (and any proxy in front of it) supports streaming.`,
    );
    this.name = "StreamingNotSupportedError";
  }
}

function requestsStream(init: RequestInit | undefined): boolean {
  // Stryker disable next-line ConditionalExpression: a body that is not a string (a stream, bytes) prints as something no stream flag matches.
  return typeof init?.body === "string" && /"stream"\s*:\s*true/.test(init.body);
}

/** What a non-streamed JSON answer says about itself: its error, or how much text it held. */
function summarize(body: string): string | null {
  try {
    const json = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
      output_text?: unknown;
    };
    if (typeof json.error === "string") return json.error;
    if (typeof json.error?.message === "string") return json.error.message;
    // Stryker disable next-line OptionalChaining: a missing part throws into the catch below, which says nothing either.
    const content = json.choices?.[0]?.message?.content ?? json.output_text;
    if (typeof content === "string") return `${content.length} characters, not used`;
  } catch {
    // not JSON: the content type says enough
  }
  return null;
}

/** `fetch` for the providers: refuses a successful non-stream answer to a streaming request. */
export const providerFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!response.ok || !requestsStream(init)) return response;
  const contentType = response.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
  if (/^text\/event-stream$/i.test(contentType)) return response;
  throw new StreamingNotSupportedError(contentType, summarize(await response.text()));
};
