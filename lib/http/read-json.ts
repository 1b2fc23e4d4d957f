import { HttpError } from "./http-error";
import { isJsonType, readBodyBytes, unsupportedMediaType } from "./request-body";

/**
 * Reads a JSON body of at most `maxBytes`. Content-Type: application/json is required: it is
 * what a page on another site cannot send without a CORS preflight (a no-cors fetch or a form
 * can only send text/plain and form types).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!isJsonType(request)) throw unsupportedMediaType("application/json");
  // UTF-8, and bytes that are not become U+FFFD (the topic's own rules then judge the text).
  const text = new TextDecoder().decode(await readBodyBytes(request, maxBytes));
  if (!text.trim()) throw new HttpError(400, "invalid_json", 'The request body is empty; send JSON such as {"topic": "Rate Limiting"}.');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", 'The request body is not valid JSON; send JSON such as {"topic": "Rate Limiting"}.');
  }
}
