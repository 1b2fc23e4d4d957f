/**
 * A refusal that belongs to the transport, not the domain: a body that is too large or not JSON,
 * a missing access token. Domain refusals are `DocumentError`s; both become the same JSON shape.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}
