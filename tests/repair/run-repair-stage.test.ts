import { describe, expect, it } from "vitest";
import { createDemoModel } from "@/lib/generation/demo-model";
import { GenerationJob, type JobEvent } from "@/lib/generation/job";
import { newRepairRecord, runRepairStage } from "@/lib/generation/repair/run-repair-stage";
import { newRoundRecord, roundBase } from "@/lib/generation/repair/run-round";
import { sectionsToRepair } from "@/lib/repair/choose-sections";
import type { RepairContext } from "@/lib/generation/repair/types";
import { requestTokens } from "@/lib/generation/token-usage";
import type { DocumentVersion } from "@/lib/documents/versions";
import { sectionText } from "@/lib/repair/section-text";
import { spliceSection } from "@/lib/repair/splice";
import { analyzeSections } from "@/lib/sections/analyzer";
import { unavailableResult } from "@/lib/typecheck/check-document";
import { stubTypecheck } from "../support/typecheck-stub";
import { draft, REQUEST_DEDUPLICATION } from "./fixtures";

const original = REQUEST_DEDUPLICATION;
const report = (markdown: string) => analyzeSections(markdown, { final: true });

/** The stub compiler (BROKEN fails it), or a checker that is down. */
const typecheckFor = (mode: "ok" | "down" = "ok") => (mode === "down" ? async (markdown: string) => unavailableResult(markdown, "the worker crashed") : stubTypecheck);

function setup(first: string, repairSource: string, options: { seconds?: number; concurrency?: number; typecheck?: "ok" | "down"; tokenLimit?: number } = {}) {
  const job = new GenerationJob("doc", { text: first, continuations: 0, version: 1 });
  const events: JobEvent[] = [];
  job.subscribe((event) => events.push(event));
  const versions: DocumentVersion[] = [];
  /** Every request's usage as the registry's one usage path gets it; a limit stops the next request. */
  const spent: number[] = [];
  const context: RepairContext = {
    job,
    model: createDemoModel({ document: first, repairSource, durationSeconds: options.seconds ?? 0.2 }),
    topic: "Request Deduplication",
    promptStyle: "contract",
    settings: { maxOutputTokens: undefined, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 5_000, maxContinuations: 2, maxAttempts: 1, retryBaseDelayMs: 10, maxRetryAfterMs: 1_000 },
    spend: {
      onUsage: async (usage) => {
        spent.push(requestTokens(usage).total);
      },
      stopReason: () => (options.tokenLimit !== undefined && spent.reduce((sum, tokens) => sum + tokens, 0) >= options.tokenLimit ? "The token limit is reached" : null),
    },
    concurrency: options.concurrency ?? 2,
    typecheck: typecheckFor(options.typecheck),
    saveVersion: async (version) => {
      versions.push(version);
    },
  };
  const start = async (record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 2, fromVersion: 1, firstPass: null }), drafts = job.repairDrafts) => {
    job.beginRepair(record, drafts);
    const typecheck = await context.typecheck(first);
    return runRepairStage(context, { markdown: first, version: 1, typecheck, record, drafts });
  };
  return { job, events, versions, context, start, spent };
}

const sectionStates = (events: JobEvent[], number: number) => [
  ...new Set(events.flatMap((event) => (event.type === "repair" ? (event.repair.rounds.at(-1)?.sections.filter((s) => s.number === number).map((s) => s.state) ?? []) : []))),
];

describe("runRepairStage", () => {
  it("repairs every unsatisfied section in one round, live, and the new version is the real document", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts", "s10-use-instead");
    const { events, versions, start } = setup(first, original);
    const result = await start();

    expect(result.stopped).toBe(false);
    expect(result.markdown).toBe(original);
    expect(result.version).toBe(2);
    expect(result.report.satisfied).toBe(12);
    expect(result.record.status).toBe("finished");
    expect(result.record.rounds).toHaveLength(1);
    expect(result.record.rounds[0]?.sections.map((section) => [section.number, section.state])).toEqual([
      [4, "accepted"],
      [7, "accepted"],
      [10, "accepted"],
    ]);
    expect(versions).toEqual([expect.objectContaining({ version: 2, reason: "Repair round 1: sections 4, 7, 10", satisfied: 12, markdown: original })]);
    // The round's usage is its sections' together.
    const round = result.record.rounds[0]!;
    expect(round.usage.outputTokens).toBeGreaterThan(0);
    expect(round.usage).toEqual({
      inputTokens: round.sections.reduce((sum, section) => sum + section.usage.inputTokens, 0),
      outputTokens: round.sections.reduce((sum, section) => sum + section.usage.outputTokens, 0),
    });
    // A new repair starts running, with no round yet.
    expect(events.find((event) => event.type === "repair")).toMatchObject({ repair: { status: "running", endedAt: null, rounds: [] } });
    // Readers saw the replacements stream, each section go queued → streaming → accepted, then the version.
    const seven = events.filter((event) => event.type === "section" && event.number === 7).map((event) => (event.type === "section" ? event.delta : "")).join("");
    expect(seven).toBe(sectionText(original, report(original).sections, 7));
    expect(sectionStates(events, 7)).toEqual(["queued", "streaming", "accepted"]);
    const versionAt = events.findIndex((event) => event.type === "version");
    expect(versionAt).toBeGreaterThan(events.findLastIndex((event) => event.type === "section"));
    expect(events[versionAt - 1]?.type).toBe("checks");
  });

  it("never runs more than REPAIR_CONCURRENCY requests at once", async () => {
    const first = draft(original, "s1-naive-fails", "s3-ordered-steps", "s4-control-flow-contrast", "s7-deadlocks-timeouts");
    const { events, start } = setup(first, original, { concurrency: 2 });
    await start();
    const busy = events.map((event) => (event.type === "repair" ? (event.repair.rounds.at(-1)?.sections.filter((s) => s.state === "streaming").length ?? 0) : 0));
    expect(Math.max(...busy)).toBe(2);
  });

  it("keeps the original when a replacement is worse, says why, and tries again in the next round", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const worse = spliceSection(original, report(original).sections, 7, "## 7. Failure Modes & Edge Cases\n\nIt depends on the workload.\n");
    const { versions, start } = setup(first, worse);
    const result = await start();
    expect(result.markdown).toBe(first);
    expect(result.version).toBe(1);
    expect(versions).toEqual([]);
    expect(result.record.rounds.map((round) => round.sections[0]?.state)).toEqual(["rejected", "rejected"]);
    expect(result.record.rounds[0]?.sections[0]?.reason).toMatch(/^It would lose what the section met: Race conditions named/);
    expect(result.record.rounds[0]?.version).toBeNull();
  });

  it("accepts a section-5 replacement only after the type check of the spliced document", async () => {
    const first = draft(original, "s5-cancellation");
    const accepted = await setup(first, original).start();
    expect(accepted.record.rounds[0]?.sections[0]).toMatchObject({ number: 5, state: "accepted" });
    expect(accepted.markdown).toBe(original);

    const broken = spliceSection(original, report(original).sections, 5, `${sectionText(original, report(original).sections, 5)!.trimEnd()}\n\n\`\`\`ts\nBROKEN;\n\`\`\`\n`);
    const refused = await setup(first, broken).start();
    expect(refused.record.rounds[0]?.sections[0]).toMatchObject({ state: "rejected" });
    expect(refused.record.rounds[0]?.sections[0]?.reason).toMatch(/^It would lose what the section met: The code type-checks/);

    const checkerDown = await setup(first, original, { typecheck: "down" }).start();
    expect(checkerDown.record.rounds[0]?.sections[0]?.reason).toMatch(/The type check of the new code could not run \(the worker crashed\)/);
    expect(checkerDown.markdown).toBe(first);
  });

  it("stops every open request when the job is cancelled, keeps the text written so far, and resumes from it", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts");
    const run = setup(first, original, { seconds: 20 });
    const stopping = run.start();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (run.job.repairDrafts.some((d) => d.text.length > 300)) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    run.job.cancel();
    const stopped = await stopping;
    expect(stopped.stopped).toBe(true);
    expect(stopped.record.status).toBe("stopped");
    expect(stopped.record.rounds[0]?.sections.map((section) => section.state)).toEqual(["stopped", "stopped"]);
    expect(stopped.markdown).toBe(first);
    const drafts = run.job.repairDrafts;
    expect(drafts.length).toBe(2);

    // Continue: a new job picks the round up, each request continuing its draft.
    const resumed = setup(first, original);
    const result = await resumed.start(stopped.record, drafts);
    expect(result.markdown).toBe(original);
    expect(result.record.rounds).toHaveLength(1);
    expect(result.record.status).toBe("finished");
  });

  it("stops starting requests once a spend limit is reached: requests already streaming finish and are counted, the rest keep their text", async () => {
    const first = draft(original, "s1-naive-fails", "s3-ordered-steps", "s4-control-flow-contrast", "s7-deadlocks-timeouts");
    const { spent, start } = setup(first, original, { concurrency: 2, tokenLimit: 1 });
    const result = await start();
    // The two requests that were streaming together both finished and reported their usage; none started after.
    expect(spent).toHaveLength(2);
    expect(spent.every((tokens) => tokens > 0)).toBe(true);
    const sections = result.record.rounds[0]?.sections ?? [];
    expect(sections.map((section) => [section.number, section.state])).toEqual([
      [1, "accepted"],
      [3, "accepted"],
      [4, "failed"],
      [7, "failed"],
    ]);
    // The provider's or the limit's words end with a full stop before what the repair adds.
    expect(sections[2]?.reason).toBe("The token limit is reached. The original is kept.");
    // No second round, and what was accepted is the next version.
    expect(result.record.rounds).toHaveLength(1);
    expect(result.record.status).toBe("finished");
    expect(result.version).toBe(2);
  });

  it("on Cancel, keeps what was judged, stops the section being written and marks the queued ones stopped", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts", "s10-use-instead");
    const run = setup(first, original, { seconds: 20, concurrency: 1 });
    const started = Date.now();
    const stopping = run.start();
    // Section 4 is judged; section 7 is being written.
    while (!run.job.repairDrafts.some((d) => d.number === 7 && d.text.length > 100)) await new Promise((resolve) => setTimeout(resolve, 10));
    run.job.cancel();
    const stopped = await stopping;
    const elapsed = Date.now() - started;
    const round = stopped.record.rounds[0]!;
    expect(round.sections.map((section) => [section.number, section.state, section.reason])).toEqual([
      [4, "accepted", expect.stringMatching(/^It meets /)],
      [7, "stopped", "Stopped before the replacement was finished."],
      [10, "stopped", "Stopped before the replacement was finished."],
    ]);
    expect(round.endedAt).toBeNull();
    // Each section's time is its own request's, and the round's covers them all.
    const [four, seven, ten] = round.sections;
    expect(four!.ms).toBeGreaterThan(0);
    expect(seven!.ms).toBeGreaterThan(0);
    expect(ten!.ms).toBe(0);
    expect(round.ms).toBeGreaterThanOrEqual(four!.ms + seven!.ms);
    expect(round.ms).toBeLessThanOrEqual(elapsed);
  });

  it("judges a replacement written in full before a restart again, without requesting it again", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const base = roundBase(first, 1, null);
    const sections = sectionsToRepair(base.checkedReport, null);
    expect(sections.map((section) => section.number)).toEqual([7]);
    const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 1, fromVersion: 1, firstPass: null });
    record.rounds.push(newRoundRecord(1, base, sections));
    record.rounds[0]!.sections[0]!.state = "accepted";
    const replacement = sectionText(original, report(original).sections, 7)!;
    // The model would answer with a worse section: only the draft can make version 2.
    const worse = spliceSection(original, report(original).sections, 7, "## 7. Failure Modes & Edge Cases\n\nIt depends.\n");
    const run = setup(first, worse);
    const result = await run.start(record, [{ number: 7, round: 1, text: replacement }]);
    expect(run.spent).toEqual([]);
    expect(result.markdown).toBe(original);
    expect(result.record.rounds[0]?.sections[0]).toMatchObject({ state: "accepted", reason: expect.stringMatching(/^It meets 2 more required items/) });
  });

  it("ends an unfinished round at once when its sections are satisfied by now", async () => {
    const first = draft(original, "s7-deadlocks-timeouts");
    const base = roundBase(first, 1, null);
    const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 1, fromVersion: 1, firstPass: null });
    record.rounds.push(newRoundRecord(1, base, sectionsToRepair(base.checkedReport, null)));
    // Continue finds the whole document already satisfying section 7.
    const run = setup(original, original);
    const result = await run.start(record, []);
    expect(run.spent).toEqual([]);
    expect(result.record.status).toBe("finished");
    expect(result.record.endedAt).not.toBeNull();
    expect(result.record.rounds).toHaveLength(1);
    expect(result.record.rounds[0]?.endedAt).not.toBeNull();
    expect(result.version).toBe(1);
  });

  it("refuses a round whose replacements, each accepted, together break the type check", async () => {
    const sections = report(original).sections;
    const first = draft(original, "s5-cancellation", "s7-deadlocks-timeouts");
    // Section 7's new text carries a name the stub compiler rejects; section 5's is fine alone.
    const source = spliceSection(original, sections, 7, `${sectionText(original, sections, 7)!.trimEnd()}\n\nSee BROKEN for details.\n`);
    const { versions, start } = setup(first, source);
    const result = await start();
    const round = result.record.rounds[0]!;
    expect(round.sections.map((section) => section.state)).toEqual(["rejected", "rejected"]);
    expect(round.sections[0]?.reason).toMatch(/^The round as a whole would lose an item: It would lose what the section met: The code type-checks/);
    expect(round.version).toBeNull();
    expect(versions).toEqual([]);
  });

  it("resumes a stopped round: its stopped sections queue again, and one the document meets by now is left stopped", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts", "s10-use-instead");
    const base = roundBase(first, 1, null);
    const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 1, fromVersion: 1, firstPass: null });
    record.rounds.push(newRoundRecord(1, base, sectionsToRepair(base.checkedReport, null)));
    for (const section of record.rounds[0]!.sections) Object.assign(section, { state: "stopped", reason: "Stopped before the replacement was finished." });
    Object.assign(record, { status: "stopped", endedAt: "2026-01-01T00:00:00.000Z" });
    // Continue finds section 7 met already (the stored version has it): only 4 and 10 are written.
    const now = draft(original, "s4-control-flow-contrast", "s10-use-instead");
    const run = setup(now, original, { concurrency: 1 });
    const result = await run.start(record, []);
    expect(result.record.rounds[0]?.sections.map((section) => [section.number, section.state])).toEqual([
      [4, "accepted"],
      [7, "stopped"],
      [10, "accepted"],
    ]);
    expect(result.markdown).toBe(original);
    // The stage tells readers at once that the repair runs again.
    const repairs = run.events.flatMap((event) => (event.type === "repair" ? [event.repair] : []));
    expect([repairs[0]?.status, repairs[1]?.status, repairs[1]?.endedAt]).toEqual(["stopped", "running", null]);
    expect(result.record.status).toBe("finished");
    // Section 10 waited its turn as queued, not as stopped.
    expect(sectionStates(run.events, 10)).toEqual(["stopped", "queued", "streaming", "accepted"]);
  });

  it("resumes a round without asking again for what was judged: a rejected section stays, a draft is judged on its own", async () => {
    const first = draft(original, "s4-control-flow-contrast", "s7-deadlocks-timeouts", "s10-use-instead");
    const base = roundBase(first, 1, null);
    const record = newRepairRecord({ trigger: "auto", target: null, maxRounds: 1, fromVersion: 1, firstPass: null });
    record.rounds.push(newRoundRecord(1, base, sectionsToRepair(base.checkedReport, null)));
    const [four, seven, ten] = record.rounds[0]!.sections;
    Object.assign(four!, { state: "rejected", reason: "It meets no more required items than the original." });
    Object.assign(seven!, { state: "accepted" });
    Object.assign(ten!, { state: "stopped" });
    const worse = "## 7. Failure Modes & Edge Cases\n\nIt depends.\n";
    const run = setup(first, original);
    const result = await run.start(record, [{ number: 7, round: 1, text: worse }]);
    const sections = result.record.rounds[0]!.sections;
    expect(sections.map((section) => [section.number, section.state])).toEqual([
      [4, "rejected"],
      [7, "rejected"],
      [10, "accepted"],
    ]);
    expect(sections[0]?.reason).toBe("It meets no more required items than the original.");
    // Judged alone, against the base: not refused "together with the other replacements".
    expect(sections[1]?.reason).toMatch(/^It would lose what the section met: /);
    // Only section 10 was requested.
    expect(run.spent).toHaveLength(1);
    expect(run.events.some((event) => event.type === "section" && event.number !== 10)).toBe(false);
    expect(result.markdown).toBe(spliceSection(first, report(first).sections, 10, sectionText(original, report(original).sections, 10)!));
  });

  it("keeps a section-5 replacement whose only gain is code that type-checks", async () => {
    const sections = report(original).sections;
    const first = spliceSection(original, sections, 5, `${sectionText(original, sections, 5)!.trimEnd()}\n\n\`\`\`ts\nBROKEN;\n\`\`\`\n`);
    const { versions, start } = setup(first, original);
    const result = await start();
    expect(result.record.rounds[0]?.sections.map((section) => [section.number, section.state, section.reason])).toEqual([[5, "accepted", expect.stringMatching(/^It meets 1 more required item: The code type-checks/)]]);
    expect(result.markdown).toBe(original);
    expect(versions).toEqual([expect.objectContaining({ version: 2, reason: "Repair round 1: section 5" })]);
  });
});
