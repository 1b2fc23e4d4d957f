/**
 * Tiny HTTP client for the fake server's /__control endpoints, for tests that
 * run it as a separate process (Playwright e2e via ./cli.ts).
 */
import type { RequestSummary, Scenario } from "./server";

export type ScenarioPatch = Partial<Scenario> & {
  /** Read the document from this path (resolved by the server process). */
  documentFile?: string;
};

export interface FakeOpenAIControl {
  setScenario(patch: ScenarioPatch): Promise<void>;
  /** Resets the scenario to the server's defaults and clears recorded requests. */
  reset(): Promise<void>;
  requests(): Promise<RequestSummary[]>;
  /** Polls GET /__control/requests until predicate is true; returns that snapshot. */
  waitFor(predicate: (reqs: RequestSummary[]) => boolean, timeoutMs?: number): Promise<RequestSummary[]>;
}

/** `baseUrl` is the server URL with or without the trailing /v1. */
export function fakeOpenAIControl(baseUrl: string): FakeOpenAIControl {
  const root = baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const call = async (method: string, pathname: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${root}${pathname}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fake-openai ${method} ${pathname} -> ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  const requests = async () => (await call("GET", "/__control/requests")) as RequestSummary[];
  return {
    async setScenario(patch) {
      await call("POST", "/__control/scenario", patch);
    },
    async reset() {
      await call("POST", "/__control/reset", {});
    },
    requests,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const reqs = await requests();
        if (predicate(reqs)) return reqs;
        if (Date.now() >= deadline) {
          throw new Error(`fake-openai waitFor timed out after ${timeoutMs} ms; requests: ${JSON.stringify(reqs)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
