import { HttpError } from "./http-error";

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/** Whether the request carries a body: a non-zero Content-Length, or a chunked/typed body without one. */
function declaresBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) !== 0;
  return request.headers.has("transfer-encoding") || request.headers.has("content-type");
}

export function isJsonType(request: Request): boolean {
  return JSON_TYPE.test(request.headers.get("content-type") ?? "");
}

export function unsupportedMediaType(expected: string): HttpError {
  return new HttpError(415, "unsupported_media_type", `Send the body with Content-Type: ${expected}.`);
}

/**
 * A bodiless action (cancel, continue, retry, delete) needs no Content-Type, but a body it is
 * sent must be JSON: pages on other sites can post forms and text/plain without a preflight.
 */
export function refuseNonJsonBody(request: Request): void {
  if (declaresBody(request) && !isJsonType(request)) throw unsupportedMediaType("application/json (or send no body)");
}

/** The body's bytes, at most `maxBytes`: Content-Length is checked first, and the stream is cut off at the limit whatever it declared. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
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
        throw bodyTooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** A form (urlencoded or multipart), at most `maxBytes`; no body is an empty form. */
export async function readFormBody(request: Request, maxBytes: number): Promise<FormData> {
  if (!declaresBody(request)) return new FormData();
  // Stryker disable next-line StringLiteral: any fallback without a form type is refused alike
  const type = request.headers.get("content-type") ?? "";
  if (!FORM_TYPE.test(type)) throw unsupportedMediaType("application/x-www-form-urlencoded (the sign-in form)");
  const bytes = await readBodyBytes(request, maxBytes);
  try {
    return await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData();
  } catch {
    throw new HttpError(400, "invalid_form", "The form could not be read; send it as application/x-www-form-urlencoded.");
  }
}

function bodyTooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "body_too_large", `The request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES).`);
}
