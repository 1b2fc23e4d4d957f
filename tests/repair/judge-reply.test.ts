import { describe, expect, it } from "vitest";
import { judgeReply } from "@/lib/generation/repair/repair-section";
import { roundBase } from "@/lib/generation/repair/run-round";
import type { RepairContext } from "@/lib/generation/repair/types";
import { sectionText } from "@/lib/repair/section-text";
import { analyzeSections } from "@/lib/sections/analyzer";
import { unavailableResult } from "@/lib/typecheck/check-document";
import type { TypecheckResult } from "@/lib/typecheck/result";
import { stubTypecheck } from "../support/typecheck-stub";
import { draft, REQUEST_DEDUPLICATION } from "./fixtures";

const original = REQUEST_DEDUPLICATION;
const originalSection = (number: number) => sectionText(original, analyzeSections(original, { final: true }).sections, number)!;

/** judgeReply needs only the context's type check; anything else it touched would throw. */
function contextChecking(typecheck: (markdown: string) => Promise<TypecheckResult>): RepairContext {
  return new Proxy({ typecheck } as unknown as RepairContext, {
    get: (target, key) => {
      if (key in target || key === "then") return Reflect.get(target, key);
      throw new Error(`judgeReply read context.${String(key)}`);
    },
  });
}
const down = (reason: string | null) => async (markdown: string) => ({ ...unavailableResult(markdown, ""), reason });
describe("judgeReply: a finished replacement, judged against the round's base", () => {
  const base = roundBase(draft(original, "s7-deadlocks-timeouts"), 1, null);

  it("keeps the section's text cut from the reply, and says what it gains", async () => {
    const reply = `Here is the rewritten section.\n\n${originalSection(7)}`;
    const { judgement, text } = await judgeReply(contextChecking(down("must not be asked")), base, 7, reply);
    expect(judgement).toMatchObject({ accepted: true, gained: expect.arrayContaining([expect.any(String)]) });
    expect(judgement.reason).toMatch(/^It meets 2 more required items: /);
    expect(text.trim()).toBe(originalSection(7).trim());
  });

  it("refuses a reply that holds no section, with nothing gained and no text", async () => {
    const { judgement, text } = await judgeReply(contextChecking(stubTypecheck), base, 7, "Sure! I can help with failure modes.");
    expect(judgement.accepted).toBe(false);
    expect(judgement.gained).toEqual([]);
    expect(judgement.reason.length).toBeGreaterThan(10);
    expect(text).toBe("");
  });

  it("refuses a section-5 reply when the type check cannot run, saying why (or that nobody knows)", async () => {
    const five = roundBase(draft(original, "s5-cancellation"), 1, await stubTypecheck(""));
    for (const [reason, shown] of [
      ["the worker crashed", "the worker crashed"],
      [null, "unknown reason"],
    ] as const) {
      const { judgement, text } = await judgeReply(contextChecking(down(reason)), five, 5, originalSection(5));
      expect(judgement).toEqual({ accepted: false, reason: `The type check of the new code could not run (${shown}).`, gained: [] });
      expect(text).toBe("");
    }
    const checked = await judgeReply(contextChecking(stubTypecheck), five, 5, originalSection(5));
    expect(checked.judgement.accepted).toBe(true);
  });
});
