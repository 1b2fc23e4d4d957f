import { useState } from "react";

/** What a failed action shows: the error's message (a thrown non-Error as text). */
export function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface PendingActionState<K> {
  setBusy(key: K | null): void;
  setProblem(problem: string | null): void;
}

/**
 * Runs one action of a group whose buttons wait for each other (the document's actions, the
 * sections' Retry buttons): `key` is busy while it runs and the last problem is cleared; a failure
 * becomes the problem shown. Busy ends with the action, except after a success with
 * `holdOnSuccess` (the page is going away: its buttons stay disabled until it has).
 */
export async function runPendingAction<K>(
  key: K,
  work: () => Promise<unknown>,
  state: PendingActionState<K>,
  { holdOnSuccess = false }: { holdOnSuccess?: boolean } = {},
): Promise<void> {
  state.setBusy(key);
  state.setProblem(null);
  try {
    await work();
  } catch (error) {
    state.setProblem(problemText(error));
    state.setBusy(null);
    return;
  }
  if (!holdOnSuccess) state.setBusy(null);
}

/** Which action of a group is running (`busy`, null: none), the last failure, and `run` to start one. */
export function usePendingAction<K>() {
  const [busy, setBusy] = useState<K | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const run = (key: K, work: () => Promise<unknown>, options?: { holdOnSuccess?: boolean }) => runPendingAction(key, work, { setBusy, setProblem }, options);
  return { busy, problem, run };
}

/** The last failure of a group of actions, announced where its buttons are. */
export function ActionProblem({ problem }: { problem: string | null }) {
  return problem ? (
    <span role="alert" className="hint">
      {problem}
    </span>
  ) : null;
}
