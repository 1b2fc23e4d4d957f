import { HttpError } from "./http-error";

/** Reads a JSON body of at most `maxBytes`, without trusting Content-Length alone. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const type = request.headers.get("content-type") ?? "";
  if (type && !/^application\/json\b/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  if (!text.trim()) throw new HttpError(400, "invalid_json", 'The request body is empty; send JSON such as {"topic": "Rate Limiting"}.');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", 'The request body is not valid JSON; send JSON such as {"topic": "Rate Limiting"}.');
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "body_too_large", `The request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES).`);
}
