/** The document page's action buttons: which one is busy, and the failure they show. */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ActionProblem, problemText, runPendingAction } from "@/components/document/pending-action";
import { StudioApiError } from "@/lib/client/studio-api";

/** The state calls an action makes, in order. */
function recorder() {
  const calls: [string, unknown][] = [];
  return { calls, state: { setBusy: (key: unknown) => calls.push(["busy", key]), setProblem: (problem: string | null) => calls.push(["problem", problem]) } };
}

describe("running one of a group of actions", () => {
  it("is busy while it runs, clears the last problem first, and frees the buttons when it succeeds", async () => {
    const { calls, state } = recorder();
    let duringWork: unknown;
    await runPendingAction(3, async () => {
      duringWork = [...calls];
    }, state);
    expect(duringWork).toEqual([["busy", 3], ["problem", null]]);
    expect(calls).toEqual([["busy", 3], ["problem", null], ["busy", null]]);
  });

  it("shows a failure's message, and frees the buttons so another attempt can be made", async () => {
    const { calls, state } = recorder();
    await runPendingAction("retry", () => Promise.reject(new StudioApiError(409, "busy", "Section 5 is already being written 🦀")), state);
    expect(calls).toEqual([["busy", "retry"], ["problem", null], ["problem", "Section 5 is already being written 🦀"], ["busy", null]]);
  });

  it("keeps the buttons disabled after a success that leaves the page, and frees them after its failure", async () => {
    const left = recorder();
    await runPendingAction("delete", async () => {}, left.state, { holdOnSuccess: true });
    expect(left.calls).toEqual([["busy", "delete"], ["problem", null]]);

    const failed = recorder();
    await runPendingAction("delete", () => Promise.reject(new TypeError("Failed to fetch")), failed.state, { holdOnSuccess: true });
    expect(failed.calls.slice(2)).toEqual([["problem", "Failed to fetch"], ["busy", null]]);
  });

  it("words anything thrown", () => {
    expect(problemText(new Error("Stop failed"))).toBe("Stop failed");
    expect(problemText("plain text")).toBe("plain text");
    expect(problemText(undefined)).toBe("undefined");
  });
});

describe("the problem of a group of actions", () => {
  it("is announced as an alert, and absent when there is none", () => {
    expect(renderToStaticMarkup(<ActionProblem problem="Network error: 限流 <b>" />)).toBe('<span role="alert" class="hint">Network error: 限流 &lt;b&gt;</span>');
    expect(renderToStaticMarkup(<ActionProblem problem={null} />)).toBe("");
  });
});
