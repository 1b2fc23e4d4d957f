/** An error with an HTTP status that a route handler turns into `{"error": {"code", "message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers: error.headers });
  }
  console.error(error);
  return Response.json({ error: { code: "internal_error", message: "Something went wrong on the server. Nothing was lost; try again." } }, { status: 500 });
}

/** Wraps a route handler so every failure is a JSON error, never a stack trace. */
export function withApiErrors<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
