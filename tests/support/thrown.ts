/**
 * The error `action` throws, for asserting its fields (status, code, message, headers). A call
 * that returns instead fails the test: a refusal that never comes is the bug being looked for.
 */
export function thrownBy<E = Error>(action: () => unknown): E {
  try {
    action();
  } catch (error) {
    return error as E;
  }
  throw new Error("expected a refusal, but the call returned");
}

/** The error `action` rejects (or throws) with; resolving fails the test. */
export async function rejectionOf<E = Error>(action: () => unknown): Promise<E> {
  try {
    await action();
  } catch (error) {
    return error as E;
  }
  throw new Error("expected a refusal, but the call resolved");
}
